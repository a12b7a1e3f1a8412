// The steganography task's gallery: the panels papers print for a pair, the
// stego as the receiver gets it (rounded to 8 bits, as evaluation measures).
#include <torch/torch.h>

#include "steganography_task.hpp"
#include "stegolab/pixel_scale.hpp"

namespace stegolab::steganography {

std::vector<GalleryPanel> SteganographyTask::gallery(const TensorMap& batch,
                                                     const PrecisionScope& scope) {
  const torch::Tensor& cover = batch.at("cover");
  const torch::Tensor& secret = batch.at("secret");
  torch::Tensor stego;
  torch::Tensor recovered;
  scope([&] {
    stego = quantize_to_8bit(embed(cover, secret).stego.to(torch::kFloat));
    recovered = extract(stego).to(torch::kFloat);
  });
  torch::NoGradGuard no_grad;
  return {{"cover", "cover", images_to_uint8(cover)},
          {"stego", "stego (8-bit)", images_to_uint8(stego)},
          {"stego_residual_x10", "|stego - cover| x10", amplified_difference(stego, cover, 10.0)},
          {"stego_residual_x20", "|stego - cover| x20", amplified_difference(stego, cover, 20.0)},
          {"secret", "secret", images_to_uint8(secret)},
          {"recovered", "recovered secret", images_to_uint8(recovered)},
          {"recovered_residual_x10", "|recovered - secret| x10",
           amplified_difference(recovered, secret, 10.0)}};
}

}  // namespace stegolab::steganography
