// resize: down by a factor and back to the original size, bilinear both
// ways (no antialiasing): the detail a rescaled upload loses.
#include <algorithm>
#include <cmath>

#include <torch/torch.h>

#include "attack_label.hpp"
#include "stegolab/attack.hpp"

namespace stegolab::attacks {

namespace {

torch::Tensor bilinear_to(const torch::Tensor& image, int64_t height, int64_t width) {
  namespace F = torch::nn::functional;
  return F::interpolate(image, F::InterpolateFuncOptions()
                                   .size(std::vector<int64_t>{height, width})
                                   .mode(torch::kBilinear)
                                   .align_corners(false));
}

class ResizeAttack : public Attack {
 public:
  explicit ResizeAttack(double factor) : factor_(factor) {}
  torch::Tensor apply(const torch::Tensor& image, const torch::Tensor& /*original*/,
                      AttackMode /*mode*/, uint64_t /*seed*/) override {
    const int64_t height = image.size(2), width = image.size(3);
    const auto smaller = [&](int64_t side) {
      return std::max<int64_t>(1, std::llround(static_cast<double>(side) * factor_));
    };
    return bilinear_to(bilinear_to(image, smaller(height), smaller(width)), height, width);
  }
  std::string label() const override { return "resize(f=" + label_number(factor_) + ")"; }

 private:
  double factor_;
};

PluginInfo resize_info() {
  PluginInfo info;
  info.name = "resize";
  info.version = "1.0.0";
  info.summary = "scale down by a factor and back up, bilinear";
  info.params = {{"factor", "number", 0.5, "the intermediate size as a fraction of the original",
                  0.05, 1.0}};
  return info;
}

std::shared_ptr<Attack> make_resize(const Params& params, const BuildContext&) {
  return std::make_shared<ResizeAttack>(params.get_number_in("factor", 0.5, 0.05, 1.0));
}

}  // namespace

}  // namespace stegolab::attacks

STEGOLAB_PLUGIN(stegolab::Attack, resize, stegolab::attacks::resize_info,
                stegolab::attacks::make_resize)
