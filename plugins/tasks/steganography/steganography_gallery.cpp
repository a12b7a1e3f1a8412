// The steganography task's gallery: the panels papers print for a sample, the
// stego as the receiver gets it (rounded to 8 bits, as evaluation measures),
// then each secret beside its recovery.
#include <torch/torch.h>

#include "secret_images.hpp"
#include "steganography_task.hpp"
#include "stegolab/image_padding.hpp"
#include "stegolab/pixel_scale.hpp"

namespace stegolab::steganography {

namespace {

// One secret's panels; the suffixes are "" for a single secret, else "_j" and " j".
void add_secret_panels(std::vector<GalleryPanel>& panels, const torch::Tensor& secret,
                       const torch::Tensor& recovered, const std::string& name_suffix,
                       const std::string& caption_suffix) {
  panels.push_back({"secret" + name_suffix, "secret" + caption_suffix, images_to_uint8(secret)});
  panels.push_back({"recovered" + name_suffix, "recovered secret" + caption_suffix,
                    images_to_uint8(recovered)});
  panels.push_back({"recovered" + name_suffix + "_residual_x10",
                    "|recovered - secret" + caption_suffix + "| x10",
                    amplified_difference(recovered, secret, 10.0)});
}

}  // namespace

std::vector<GalleryPanel> SteganographyTask::gallery(const TensorMap& batch,
                                                     const PrecisionScope& scope) {
  const int64_t secrets = settings_.secrets;
  const torch::Tensor& cover = batch.at("cover");
  const torch::Tensor secret = secrets_along_channels(batch, secrets);
  torch::Tensor stego;
  torch::Tensor recovered;
  // As evaluation measures: the model sees the padded images, the panels the original pixels.
  scope([&] {
    stego = quantize_to_8bit(
        embed(padded_for_model(cover), padded_for_model(secret)).stego.to(torch::kFloat));
    recovered = extract(stego).to(torch::kFloat);
  });
  torch::NoGradGuard no_grad;
  stego = crop_to(stego, cover.size(2), cover.size(3));
  recovered = crop_to(recovered, cover.size(2), cover.size(3));
  std::vector<GalleryPanel> panels = {
      {"cover", "cover", images_to_uint8(cover)},
      {"stego", "stego (8-bit)", images_to_uint8(stego)},
      {"stego_residual_x10", "|stego - cover| x10", amplified_difference(stego, cover, 10.0)},
      {"stego_residual_x20", "|stego - cover| x20", amplified_difference(stego, cover, 20.0)}};
  if (secrets == 1) {
    add_secret_panels(panels, secret, recovered, "", "");
    return panels;
  }
  const std::vector<torch::Tensor> each = each_secret(secret, secrets);
  const std::vector<torch::Tensor> each_recovered = each_secret(recovered, secrets);
  for (int64_t j = 0; j < secrets; ++j) {
    const std::string number = std::to_string(j + 1);
    add_secret_panels(panels, each[j], each_recovered[j], "_" + number, " " + number);
  }
  return panels;
}

}  // namespace stegolab::steganography
