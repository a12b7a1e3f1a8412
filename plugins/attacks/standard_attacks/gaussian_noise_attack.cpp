// gaussian_noise: additive white Gaussian noise of standard deviation sigma
// on the 0-255 scale (PRIS and HiDDeN train through sigma 1 to 10).
#include "attack_label.hpp"
#include "stegolab/attack.hpp"
#include "stegolab/pixel_scale.hpp"

namespace stegolab::attacks {

namespace {

class GaussianNoiseAttack : public Attack {
 public:
  explicit GaussianNoiseAttack(double sigma) : sigma_(sigma) {}
  torch::Tensor apply(const torch::Tensor& image, const torch::Tensor& /*original*/,
                      AttackMode mode, uint64_t seed) override {
    const torch::Tensor noise = attack_random(image.sizes(), image.device(), mode, seed, true);
    return image + (sigma_ / kPixelHalfRange) * noise.to(image.scalar_type());
  }
  std::string label() const override { return "gaussian_noise(sigma=" + label_number(sigma_) + ")"; }

 private:
  double sigma_;
};

PluginInfo gaussian_noise_info() {
  PluginInfo info;
  info.name = "gaussian_noise";
  info.version = "1.0.0";
  info.summary = "additive Gaussian noise, sigma on the 0-255 scale";
  info.params = {{"sigma", "number", 2.0, "standard deviation on the 0-255 scale", 0.0, 255.0}};
  return info;
}

std::shared_ptr<Attack> make_gaussian_noise(const Params& params, const BuildContext&) {
  return std::make_shared<GaussianNoiseAttack>(params.get_number_in("sigma", 2.0, 0.0, 255.0));
}

}  // namespace

}  // namespace stegolab::attacks

STEGOLAB_PLUGIN(stegolab::Attack, gaussian_noise, stegolab::attacks::gaussian_noise_info,
                stegolab::attacks::make_gaussian_noise)
