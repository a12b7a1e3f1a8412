#include "steganography_metrics.hpp"

#include <torch/torch.h>

#include "secret_images.hpp"
#include "stegolab/errors.hpp"
#include "stegolab/image_quality.hpp"
#include "stegolab/pixel_scale.hpp"

namespace stegolab::steganography {

namespace {

// Identical images have infinite PSNR; a mean with one +inf says nothing, so
// each image's PSNR is capped (documented in the metric conventions).
constexpr double kPsnrCapDb = 100.0;

torch::Tensor capped_psnr(const torch::Tensor& a, const torch::Tensor& b) {
  return psnr(a, b, 255.0).clamp_max(kPsnrCapDb);
}

// Number of set bits of every uint8 value 0..255, as a lookup table.
torch::Tensor popcount_table(torch::Device device) {
  const torch::Tensor values = torch::arange(256, torch::kInt);
  torch::Tensor bits = torch::zeros({256}, torch::kInt);
  for (int k = 0; k < 8; ++k) bits += values.div(1 << k, "floor").remainder(2);
  return bits.to(device);
}

}  // namespace

void SteganographyMetrics::accumulate(const std::string& name, const torch::Tensor& sum,
                                      double denominator) {
  const torch::Tensor value = sum.detach().to(torch::kDouble);
  for (auto& entry : entries_) {
    if (entry.name == name) {
      entry.sum = entry.sum + value;
      entry.denominator += denominator;
      return;
    }
  }
  entries_.push_back({name, value, denominator});
}

void SteganographyMetrics::add_quality(const std::string& prefix, const torch::Tensor& reference,
                                       const torch::Tensor& candidate, const std::string& suffix,
                                       bool literature) {
  const auto n = static_cast<double>(reference.size(0));
  const int64_t channels = reference.size(1);
  accumulate(prefix + "_psnr" + suffix, capped_psnr(reference, candidate).sum(), n);
  if (channels == 3 || channels == 1) {
    // Luma of a one-channel image is the image itself.
    const torch::Tensor y_ref = channels == 3 ? rgb_to_luma_bt601(reference) : reference;
    const torch::Tensor y_cand = channels == 3 ? rgb_to_luma_bt601(candidate) : candidate;
    accumulate(prefix + "_psnr_y" + suffix, capped_psnr(y_ref, y_cand).sum(), n);
  }
  accumulate(prefix + "_ssim" + suffix, ssim(reference, candidate, 255.0).sum(), n);
  const torch::Tensor difference = (reference - candidate).flatten(1);
  accumulate(prefix + "_mae" + suffix, mean_absolute_difference(reference, candidate).sum(), n);
  accumulate(prefix + "_rmse" + suffix, difference.square().mean(1).sqrt().sum(), n);
  if (literature) add_literature_quality(prefix, reference, candidate, suffix);
}

void SteganographyMetrics::add_literature_quality(const std::string& prefix,
                                                  const torch::Tensor& reference,
                                                  const torch::Tensor& candidate,
                                                  const std::string& suffix) {
  const auto n = static_cast<double>(reference.size(0));
  if (reference.size(1) == 3) {
    accumulate(prefix + "_psnr_y_matlab" + suffix,
               capped_psnr(rgb_to_luma_studio(reference, 255.0),
                           rgb_to_luma_studio(candidate, 255.0))
                   .sum(),
               n);
  }
  accumulate(prefix + "_ms_ssim" + suffix, ms_ssim(reference, candidate, 255.0).sum(), n);
  accumulate(prefix + "_apd" + suffix, mean_absolute_difference(reference, candidate).sum(), n);
}

void SteganographyMetrics::add(const torch::Tensor& cover, const torch::Tensor& secret,
                               const torch::Tensor& stego, const torch::Tensor& recovered,
                               bool quantize, const std::string& suffix, int64_t secrets) {
  if (cover.dim() != 4 || cover.sizes() != stego.sizes() || secret.sizes() != recovered.sizes() ||
      secret.dim() != 4 || secret.size(1) != secrets * cover.size(1) ||
      secret.size(0) != cover.size(0) || secret.size(2) != cover.size(2) ||
      secret.size(3) != cover.size(3)) {
    throw Error("metrics: cover and stego must be NCHW of one shape, secret and recovered of it "
                "with " + std::to_string(secrets) + " times the channels");
  }
  torch::NoGradGuard no_grad;
  // cover and secret come from 8-bit files: rounding only undoes float error.
  // The float path keeps its original set (no literature measures).
  add_quality("hide", to_pixel_scale(cover, true), to_pixel_scale(stego, quantize), suffix,
              /*literature=*/quantize);
  // Along the batch, each mean weighs every secret of every sample alike.
  add_recovery_stack(secrets_along_batch(secret, secrets), secrets_along_batch(recovered, secrets),
                     quantize, suffix);
  if (secrets == 1) return;
  const std::vector<torch::Tensor> each = each_secret(secret, secrets);
  const std::vector<torch::Tensor> each_recovered = each_secret(recovered, secrets);
  for (int64_t j = 0; j < secrets; ++j) {
    add_recovery_stack(each[j], each_recovered[j], quantize, "_" + std::to_string(j + 1) + suffix);
  }
}

void SteganographyMetrics::add_hiding(const torch::Tensor& cover, const torch::Tensor& stego) {
  if (cover.dim() != 4 || cover.sizes() != stego.sizes()) {
    throw Error("metrics: cover and stego must be NCHW of one shape");
  }
  torch::NoGradGuard no_grad;
  add_quality("hide", to_pixel_scale(cover, true), to_pixel_scale(stego, true), "",
              /*literature=*/true);
}

void SteganographyMetrics::add_recovery(const torch::Tensor& secret,
                                        const torch::Tensor& recovered, const std::string& suffix,
                                        int64_t secrets) {
  if (secret.dim() != 4 || secret.sizes() != recovered.sizes() ||
      secret.size(1) % secrets != 0) {
    throw Error("metrics: secret and recovered must be NCHW of the same shape, " +
                std::to_string(secrets) + " images along the channels");
  }
  torch::NoGradGuard no_grad;
  add_recovery_stack(secrets_along_batch(secret, secrets), secrets_along_batch(recovered, secrets),
                     /*quantize=*/true, suffix);
}

void SteganographyMetrics::add_recovery_stack(const torch::Tensor& secret,
                                              const torch::Tensor& recovered, bool quantize,
                                              const std::string& suffix) {
  const torch::Tensor secret_px = to_pixel_scale(secret, true);
  add_quality("rec", secret_px, to_pixel_scale(recovered, quantize), suffix,
              /*literature=*/quantize);
  add_bit_errors(secret_px, recovered, suffix);
}

void SteganographyMetrics::add_bit_errors(const torch::Tensor& secret_px,
                                          const torch::Tensor& recovered,
                                          const std::string& suffix) {
  // BER is defined on 8-bit values whatever the path. A NaN recovery has no
  // bits to compare: all 8 of its bits count as wrong (never as a lucky 0);
  // +-inf saturate to 255 / 0 like any out-of-range value.
  const torch::Tensor secret_8 = secret_px.to(torch::kByte);
  const torch::Tensor lost = torch::isnan(recovered).flatten();
  const torch::Tensor recovered_8 =
      to_pixel_scale(recovered.nan_to_num(-1.0, 1.0, -1.0), true).to(torch::kByte);
  const torch::Tensor differing = torch::bitwise_xor(secret_8, recovered_8).flatten();
  if (!popcount_.defined() || popcount_.device() != differing.device()) {
    popcount_ = popcount_table(differing.device());
  }
  const torch::Tensor per_value = popcount_.index_select(0, differing.to(torch::kLong));
  const torch::Tensor bit_errors =
      torch::where(lost, torch::full_like(per_value, 8), per_value).sum();
  accumulate("ber" + suffix, bit_errors, 8.0 * static_cast<double>(secret_px.numel()));
}

std::vector<std::pair<std::string, double>> SteganographyMetrics::means() const {
  std::vector<std::pair<std::string, double>> result;
  if (entries_.empty()) return result;
  std::vector<torch::Tensor> sums;
  sums.reserve(entries_.size());
  for (const auto& entry : entries_) sums.push_back(entry.sum);
  const torch::Tensor host = torch::stack(sums).cpu();
  const double* values = host.data_ptr<double>();
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    result.emplace_back(entries_[i].name, values[i] / entries_[i].denominator);
  }
  return result;
}

int64_t SteganographyMetrics::images(const std::string& suffix) const {
  for (const auto& entry : entries_) {
    if (entry.name == "hide_psnr" + suffix) return static_cast<int64_t>(entry.denominator);
  }
  return 0;
}

}  // namespace stegolab::steganography
