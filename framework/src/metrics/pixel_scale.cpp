#include "metrics/pixel_scale.hpp"

#include <torch/torch.h>

namespace stegolab {

torch::Tensor to_pixel_scale(const torch::Tensor& images, bool quantize) {
  torch::Tensor pixels = (images.to(torch::kFloat) + 1.0) * 127.5;
  if (quantize) pixels = pixels.round();
  return pixels.clamp(0.0, 255.0);
}

torch::Tensor quantize_to_8bit(const torch::Tensor& images) {
  return to_pixel_scale(images, true) / 127.5 - 1.0;
}

}  // namespace stegolab
