// quantize8: the stego saved as an 8-bit file (PNG), the channel every
// evaluation already applies; listed as an attack so a training mix can
// hold the clean channel beside the others.
#include "stegolab/attack.hpp"
#include "stegolab/pixel_scale.hpp"

namespace stegolab::attacks {

namespace {

class Quantize8Attack : public Attack {
 public:
  torch::Tensor apply(const torch::Tensor& image, const torch::Tensor& /*original*/,
                      AttackMode mode, uint64_t /*seed*/) override {
    return mode == AttackMode::training ? quantize_to_8bit_straight_through(image)
                                        : quantize_to_8bit(image);
  }
  std::string label() const override { return "quantize8"; }
};

PluginInfo quantize8_info() {
  PluginInfo info;
  info.name = "quantize8";
  info.version = "1.0.0";
  info.summary = "round to 8 bits, as a saved PNG (training: straight-through gradient)";
  return info;
}

std::shared_ptr<Attack> make_quantize8(const Params&, const BuildContext&) {
  return std::make_shared<Quantize8Attack>();
}

}  // namespace

}  // namespace stegolab::attacks

STEGOLAB_PLUGIN(stegolab::Attack, quantize8, stegolab::attacks::quantize8_info,
                stegolab::attacks::make_quantize8)
