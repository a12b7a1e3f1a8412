// jpeg: a real JPEG at quality Q through OpenCV. In training the forward
// pass is the same real JPEG and the gradient the identity (straight-through),
// so the stand-in is exactly the evaluated JPEG, not an approximation of it.
#include "jpeg_codec.hpp"
#include "stegolab/attack.hpp"

namespace stegolab::attacks {

namespace {

class JpegAttack : public Attack {
 public:
  explicit JpegAttack(int quality) : quality_(quality) {}
  torch::Tensor apply(const torch::Tensor& image, const torch::Tensor& /*original*/,
                      AttackMode mode, uint64_t /*seed*/) override {
    const torch::Tensor received = jpeg_round_trip(image.detach(), quality_);
    return mode == AttackMode::training ? straight_through(image, received) : received;
  }
  std::string label() const override { return "jpeg(q=" + std::to_string(quality_) + ")"; }

 private:
  int quality_;
};

PluginInfo jpeg_info() {
  PluginInfo info;
  info.name = "jpeg";
  info.version = "1.0.0";
  info.summary = "real JPEG at quality Q through OpenCV (training: straight-through gradient)";
  info.params = {{"quality", "int", 75, "JPEG quality, 1-100", 1.0, 100.0}};
  return info;
}

std::shared_ptr<Attack> make_jpeg(const Params& params, const BuildContext&) {
  return std::make_shared<JpegAttack>(static_cast<int>(params.get_int("quality", 75)));
}

}  // namespace

}  // namespace stegolab::attacks

STEGOLAB_PLUGIN(stegolab::Attack, jpeg, stegolab::attacks::jpeg_info,
                stegolab::attacks::make_jpeg)
