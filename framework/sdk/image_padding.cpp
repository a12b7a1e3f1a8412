#include "stegolab/image_padding.hpp"

#include <algorithm>
#include <string>

#include <torch/torch.h>

#include "stegolab/errors.hpp"

namespace stegolab {

namespace {

// `images` padded by `amount` rows (dim 2) or columns (dim 3) at the end by
// reflection, in steps no wider than the image minus its edge pixel: what
// F::pad(kReflect) allows at once.
torch::Tensor reflect_along(torch::Tensor images, int64_t dim, int64_t amount) {
  namespace F = torch::nn::functional;
  while (amount > 0) {
    const int64_t size = images.size(dim);
    if (size < 2) {
      std::vector<int64_t> shape = images.sizes().vec();
      shape[dim] = amount;
      return torch::cat({images, images.narrow(dim, size - 1, 1).expand(shape)}, dim);
    }
    const int64_t step = std::min(amount, size - 1);
    const std::vector<int64_t> pad =
        dim == 3 ? std::vector<int64_t>{0, step, 0, 0} : std::vector<int64_t>{0, 0, 0, step};
    images = F::pad(images, F::PadFuncOptions(pad).mode(torch::kReflect));
    amount -= step;
  }
  return images;
}

}  // namespace

int64_t rounded_up_to_multiple(int64_t value, int64_t multiple) {
  if (multiple < 1) {
    throw Error("rounded_up_to_multiple: the multiple must be at least 1, got " +
                std::to_string(multiple));
  }
  return (value + multiple - 1) / multiple * multiple;
}

torch::Tensor pad_to_multiple(const torch::Tensor& images, int64_t multiple, ImagePadding mode) {
  if (images.dim() != 4) {
    throw Error("pad_to_multiple: expected NCHW images, got " + std::to_string(images.dim()) +
                " dimensions");
  }
  const int64_t bottom = rounded_up_to_multiple(images.size(2), multiple) - images.size(2);
  const int64_t right = rounded_up_to_multiple(images.size(3), multiple) - images.size(3);
  if (bottom == 0 && right == 0) return images;
  if (mode == ImagePadding::reflect) return reflect_along(reflect_along(images, 2, bottom), 3, right);
  namespace F = torch::nn::functional;
  return F::pad(images, F::PadFuncOptions({0, right, 0, bottom}).mode(torch::kReplicate));
}

torch::Tensor crop_to(const torch::Tensor& images, int64_t height, int64_t width) {
  if (images.dim() != 4 || images.size(2) < height || images.size(3) < width) {
    throw Error("crop_to: cannot crop images of shape " + c10::str(images.sizes()) + " to " +
                std::to_string(height) + "x" + std::to_string(width));
  }
  return images.narrow(2, 0, height).narrow(3, 0, width);
}

}  // namespace stegolab
