#include "steganography_evaluation.hpp"

#include <torch/torch.h>

#include "secret_images.hpp"
#include "stegolab/image_padding.hpp"
#include "stegolab/pixel_scale.hpp"

namespace stegolab::steganography {

void SteganographyEvaluation::add(const TensorMap& batch, const PrecisionScope& scope) {
  const torch::Tensor& cover = batch.at("cover");
  const int64_t secrets = task_.settings().secrets;
  const torch::Tensor secret = secrets_along_channels(batch, secrets);
  const bool float_path = !task_.settings().quantize_stego;
  const torch::Tensor padded_cover = task_.padded_for_model(cover);
  const torch::Tensor padded_secret = task_.padded_for_model(secret);
  torch::Tensor stego;
  torch::Tensor quantized;
  torch::Tensor recovered;
  torch::Tensor recovered_float;
  // The model runs under the strategy's precision; the metrics run after,
  // outside it, in fp32.
  scope([&] {
    stego = task_.embed(padded_cover, padded_secret).stego.to(torch::kFloat);
    quantized = quantize_to_8bit(stego);
    recovered = task_.extract(quantized).to(torch::kFloat);
    if (float_path) recovered_float = task_.extract(stego).to(torch::kFloat);
  });
  torch::NoGradGuard no_grad;
  const auto original = [&](const torch::Tensor& images) {
    return crop_to(images, cover.size(2), cover.size(3));
  };
  metrics_.add(cover, secret, original(quantized), original(recovered), /*quantize=*/true, "",
               secrets);
  if (float_path) {
    metrics_.add(cover, secret, original(stego), original(recovered_float), /*quantize=*/false,
                 "_float", secrets);
  }
  add_attacked(padded_cover, secret, quantized, scope);
  ++batches_;
}

void SteganographyEvaluation::add_attacked(const torch::Tensor& padded_cover,
                                           const torch::Tensor& secret,
                                           const torch::Tensor& padded_stego,
                                           const PrecisionScope& scope) {
  for (const BuiltAttack& attack : task_.attacks().evaluation()) {
    torch::Tensor recovered;
    // The attack meets the saved 8-bit stego; what arrives is again an 8-bit
    // file. The batch number seeds its draws: every evaluation sees the same.
    scope([&] {
      const torch::Tensor received = quantize_to_8bit(apply_checked(
          *attack.attack, attack.owner, padded_stego, padded_cover, AttackMode::evaluation,
          batches_));
      recovered = task_.extract(received).to(torch::kFloat);
    });
    metrics_.add_recovery(secret, crop_to(recovered, secret.size(2), secret.size(3)),
                          "@" + attack.label, task_.settings().secrets);
  }
}

std::vector<std::pair<std::string, double>> SteganographyEvaluation::means() {
  std::vector<std::pair<std::string, double>> means = metrics_.means();
  // Each secret is a whole image the size of the cover: 8 bits per channel per pixel.
  means.emplace_back("payload_bpp", 8.0 * static_cast<double>(task_.channels() *
                                                              task_.settings().secrets));
  return means;
}

}  // namespace stegolab::steganography
