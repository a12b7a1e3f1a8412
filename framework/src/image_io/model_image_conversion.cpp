// The conversions between 8-bit file pixels and the models' images; they need
// no image library, so they exist in every build.
#include <torch/torch.h>

#include "image_io/image_io.hpp"
#include "stegolab/pixel_scale.hpp"

namespace stegolab {

torch::Tensor to_model_image(const torch::Tensor& image, torch::Device device) {
  return images_from_uint8(image.to(device).unsqueeze(0));
}

torch::Tensor from_model_image(const torch::Tensor& image) { return images_to_uint8(image)[0]; }

}  // namespace stegolab
