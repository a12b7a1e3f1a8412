// The conversions between 8-bit file pixels and the models' images; they need
// no image library, so they exist in every build.
#include <torch/torch.h>

#include "image_io/image_io.hpp"
#include "stegolab/pixel_scale.hpp"

namespace stegolab {

torch::Tensor to_model_image(const torch::Tensor& image, torch::Device device) {
  return image.to(device).permute({2, 0, 1}).unsqueeze(0).to(torch::kFloat32) / 127.5 - 1.0;
}

torch::Tensor from_model_image(const torch::Tensor& image) {
  return to_pixel_scale(image.detach()[0], /*quantize=*/true)
      .to(torch::kUInt8)
      .permute({1, 2, 0})
      .contiguous()
      .to(torch::kCPU);
}

}  // namespace stegolab
