// dropout: HiDDeN's dropout. Each pixel (all its channels together) of the
// sent image survives with probability `keep`; the others are the original's.
#include <torch/torch.h>

#include "attack_label.hpp"
#include "stegolab/attack.hpp"

namespace stegolab::attacks {

namespace {

class DropoutAttack : public Attack {
 public:
  explicit DropoutAttack(double keep) : keep_(keep) {}
  torch::Tensor apply(const torch::Tensor& image, const torch::Tensor& original, AttackMode mode,
                      uint64_t seed) override {
    const torch::Tensor draws = attack_random({image.size(0), 1, image.size(2), image.size(3)},
                                              image.device(), mode, seed, false);
    return torch::where(draws < keep_, image, original.to(image.scalar_type()));
  }
  std::string label() const override { return "dropout(keep=" + label_number(keep_) + ")"; }

 private:
  double keep_;
};

PluginInfo dropout_info() {
  PluginInfo info;
  info.name = "dropout";
  info.version = "1.0.0";
  info.summary = "HiDDeN's dropout: each pixel survives with probability keep, else the original's";
  info.params = {{"keep", "number", 0.7, "probability that a pixel survives", 0.0, 1.0}};
  return info;
}

std::shared_ptr<Attack> make_dropout(const Params& params, const BuildContext&) {
  return std::make_shared<DropoutAttack>(params.get_number_in("keep", 0.7, 0.0, 1.0));
}

}  // namespace

}  // namespace stegolab::attacks

STEGOLAB_PLUGIN(stegolab::Attack, dropout, stegolab::attacks::dropout_info,
                stegolab::attacks::make_dropout)
