// crop: HiDDeN's cropout. A rectangle of the sent image survives (its sides
// sqrt(keep) of the image's, so it holds the fraction `keep` of the area, at
// a random place per image); everywhere else the receiver sees the original.
#include <algorithm>
#include <cmath>

#include <torch/torch.h>

#include "attack_label.hpp"
#include "stegolab/attack.hpp"

namespace stegolab::attacks {

namespace {

// [N, 1, side, 1] or [N, 1, 1, side] mask: true on `length` positions from a
// random start per image.
torch::Tensor random_span(const torch::Tensor& draws, int64_t side, int64_t length, int64_t dim) {
  const torch::Tensor start = (draws * static_cast<double>(side - length + 1)).floor();
  std::vector<int64_t> shape{1, 1, 1, 1};
  shape[dim] = side;
  const torch::Tensor position =
      torch::arange(side, draws.options()).view(shape);
  std::vector<int64_t> per_image{draws.size(0), 1, 1, 1};
  const torch::Tensor from = start.view(per_image);
  return (position >= from).logical_and(position < from + static_cast<double>(length));
}

class CropAttack : public Attack {
 public:
  explicit CropAttack(double keep) : keep_(keep) {}
  torch::Tensor apply(const torch::Tensor& image, const torch::Tensor& original, AttackMode mode,
                      uint64_t seed) override {
    const int64_t height = image.size(2), width = image.size(3);
    const double side = std::sqrt(keep_);
    const int64_t rows = std::clamp<int64_t>(std::llround(side * height), 1, height);
    const int64_t cols = std::clamp<int64_t>(std::llround(side * width), 1, width);
    const torch::Tensor draws = attack_random({image.size(0), 2}, image.device(), mode, seed, false);
    const torch::Tensor inside = random_span(draws.select(1, 0), height, rows, 2)
                                     .logical_and(random_span(draws.select(1, 1), width, cols, 3));
    return torch::where(inside, image, original.to(image.scalar_type()));
  }
  std::string label() const override { return "crop(keep=" + label_number(keep_) + ")"; }

 private:
  double keep_;
};

PluginInfo crop_info() {
  PluginInfo info;
  info.name = "crop";
  info.version = "1.0.0";
  info.summary = "HiDDeN's cropout: a random rectangle of the image survives, the original fills the rest";
  info.params = {{"keep", "number", 0.5, "fraction of the area that survives", 0.01, 1.0}};
  return info;
}

std::shared_ptr<Attack> make_crop(const Params& params, const BuildContext&) {
  return std::make_shared<CropAttack>(params.get_number_in("keep", 0.5, 0.01, 1.0));
}

}  // namespace

}  // namespace stegolab::attacks

STEGOLAB_PLUGIN(stegolab::Attack, crop, stegolab::attacks::crop_info,
                stegolab::attacks::make_crop)
