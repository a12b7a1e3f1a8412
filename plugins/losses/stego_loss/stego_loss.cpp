#include "stego_loss.hpp"

#include <algorithm>
#include <string>

#include "stegolab/errors.hpp"
#include "stegolab/image_quality.hpp"

namespace stegolab::stego_loss {

namespace {
// Multi-scale wavelet loss: weights of the band groups (see docs/model.md).
constexpr double kWeightLL = 0.35;
constexpr double kWeightLHHL = 0.14;
constexpr double kWeightHH = 0.06;
constexpr double kWeightLL2 = 0.20;

torch::Tensor dx(const torch::Tensor& x) {
  return x.narrow(3, 1, x.size(3) - 1) - x.narrow(3, 0, x.size(3) - 1);
}
torch::Tensor dy(const torch::Tensor& x) {
  return x.narrow(2, 1, x.size(2) - 1) - x.narrow(2, 0, x.size(2) - 1);
}
}  // namespace

torch::Tensor gradient_difference(const torch::Tensor& a, const torch::Tensor& b) {
  return torch::mse_loss(dx(a), dx(b)) + torch::mse_loss(dy(a), dy(b));
}

torch::Tensor total_variation(const torch::Tensor& x) {
  return dx(x).abs().mean() + dy(x).abs().mean();
}

StegoLoss::StegoLoss(const StegoLossWeights& weights, std::shared_ptr<Transform> transform)
    : weights_(weights), transform_(std::move(transform)) {
  if ((weights_.wavelet != 0.0 || weights_.low_freq != 0.0) && !transform_) {
    throw PluginError(
        "loss 'stego_loss': the wavelet and low_freq terms need a transform "
        "(BuildContext::transform)");
  }
}

double StegoLoss::hide_weight(double fraction) const {
  const double t =
      weights_.hide_ramp <= 0.0 ? 1.0 : std::clamp(fraction / weights_.hide_ramp, 0.0, 1.0);
  return weights_.hide_start + (weights_.hide_end - weights_.hide_start) * t;
}

torch::Tensor StegoLoss::wavelet_term(const torch::Tensor& recovered,
                                      const torch::Tensor& secret) const {
  const int64_t channels = secret.size(1);
  const auto a = transform_->forward_images(recovered).coefficients;
  const auto b = transform_->forward_images(secret).coefficients;
  // A band type's weight is shared by its levels, so the term's scale does
  // not grow with the transform's `levels`.
  const double levels = static_cast<double>(transform_->levels());
  auto total = torch::zeros({}, a.options());
  for (const auto& band : transform_->band_layout(channels)) {
    const double weight = band.name == "LL"   ? kWeightLL
                          : band.name == "HH" ? kWeightHH / levels
                                              : kWeightLHHL / levels;
    total = total + weight * torch::mse_loss(a.narrow(1, band.channel_begin, band.channel_count),
                                             b.narrow(1, band.channel_begin, band.channel_count));
  }
  // The next coarser LL: one more analysis level of the coarsest LL band.
  const auto ll2_a = transform_->coarser_ll(a.narrow(1, 0, channels));
  const auto ll2_b = transform_->coarser_ll(b.narrow(1, 0, channels));
  return total + kWeightLL2 * torch::mse_loss(ll2_a, ll2_b);
}

torch::Tensor StegoLoss::low_freq_term(const torch::Tensor& stego,
                                       const torch::Tensor& cover) const {
  const int64_t channels = cover.size(1);
  return torch::mse_loss(transform_->forward_images(stego).coefficients.narrow(1, 0, channels),
                         transform_->forward_images(cover).coefficients.narrow(1, 0, channels));
}

LossValue StegoLoss::compute(const LossInput& input) {
  // The steganography task's names (docs/plugins.md, "Writing a task").
  const torch::Tensor& cover = input.tensors.at("cover");
  const torch::Tensor& secret = input.tensors.at("secret");
  const torch::Tensor& stego = input.tensors.at("stego");
  const torch::Tensor& recovered = input.tensors.at("recovered");
  LossValue value;
  torch::Tensor total;
  auto add = [&](const char* name, double weight, const std::function<torch::Tensor()>& term) {
    if (weight == 0.0) return;  // a zero weight costs nothing: the term is not computed
    const auto weighted = weight * term();
    total = total.defined() ? total + weighted : weighted;
    value.terms.emplace_back(name, weighted.detach());
  };
  add("hide_mse", hide_weight(input.progress.fraction),
      [&] { return torch::mse_loss(stego, cover); });
  add("rec_mse", weights_.rec_mse, [&] { return torch::mse_loss(recovered, secret); });
  add("rec_ssim", weights_.rec_ssim,
      [&] { return 1.0 - ssim((recovered + 1.0) * 0.5, (secret + 1.0) * 0.5, 1.0).mean(); });
  add("edge", weights_.edge, [&] { return gradient_difference(recovered, secret); });
  add("tv", weights_.tv, [&] { return total_variation(stego - cover); });
  add("wavelet", weights_.wavelet, [&] { return wavelet_term(recovered, secret); });
  add("low_freq", weights_.low_freq, [&] { return low_freq_term(stego, cover); });
  // All weights zero: a zero that still depends on the inputs, so backward works.
  value.total = total.defined() ? total : (stego.sum() * 0.0);
  return value;
}

}  // namespace stegolab::stego_loss
