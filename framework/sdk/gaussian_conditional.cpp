#include "stegolab/gaussian_conditional.hpp"

#include <cmath>
#include <string>

#include <torch/torch.h>

#include "latent_symbols.hpp"
#include "stegolab/errors.hpp"
#include "stegolab/tensor_map.hpp"

namespace stegolab {

namespace {

constexpr double kGaussianLikelihoodFloor = 1e-9;

// The standard normal's cumulative distribution.
torch::Tensor standard_cumulative(const torch::Tensor& x) {
  return 0.5 * torch::erfc(x * (-1.0 / std::sqrt(2.0)));
}

double standard_cumulative(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

// Its inverse at a lower-tail probability p, by bisection (monotonic).
double standard_quantile(double p) {
  double lo = -40.0;
  double hi = 0.0;
  for (int i = 0; i < 200; ++i) {
    const double mid = 0.5 * (lo + hi);
    (standard_cumulative(mid) < p ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

}  // namespace

GaussianConditional::GaussianConditional(GaussianConditionalSettings settings)
    : settings_(settings) {
  if (settings_.scale_levels < 2 || !(settings_.scale_min > 0.0) ||
      !(settings_.scale_max > settings_.scale_min)) {
    throw Error("Gaussian conditional: the scale table needs >= 2 levels, 0 < min < max");
  }
  const torch::Tensor table = torch::exp(torch::linspace(
      std::log(settings_.scale_min), std::log(settings_.scale_max), settings_.scale_levels,
      torch::kDouble));
  scale_table_ = register_buffer("scale_table", table.to(torch::kFloat));
  // The tables depend on the fixed scales only: built once, in double.
  const double extent = -standard_quantile(settings_.tail_mass / 2.0);
  for (int64_t level = 0; level < settings_.scale_levels; ++level) {
    const double scale = table[level].item<double>();
    const auto half = static_cast<int64_t>(std::ceil(scale * extent));
    std::vector<double> pmf;
    for (int64_t v = -half; v <= half; ++v) {
      const double a = std::abs(static_cast<double>(v));
      pmf.push_back(standard_cumulative((0.5 - a) / scale) - standard_cumulative((-0.5 - a) / scale));
    }
    const double tail = 2.0 * standard_cumulative((-0.5 - static_cast<double>(half)) / scale);
    tables_.push_back(quantized_cdf(pmf, tail, -static_cast<int32_t>(half)));
  }
}

GaussianConditional::~GaussianConditional() = default;

torch::Tensor GaussianConditional::likelihood(const torch::Tensor& values,
                                              const torch::Tensor& scales) const {
  const torch::Tensor s = scales.clamp_min(settings_.scale_bound);
  const torch::Tensor v = values.abs();
  const torch::Tensor upper = standard_cumulative((0.5 - v) / s);
  const torch::Tensor lower = standard_cumulative((-0.5 - v) / s);
  return (upper - lower).clamp_min(kGaussianLikelihoodFloor);
}

QuantizedLatents GaussianConditional::forward(const torch::Tensor& values,
                                              const torch::Tensor& scales,
                                              const torch::Tensor& means) {
  if (!values.sizes().equals(scales.sizes())) {
    throw PluginError("Gaussian conditional: values " + shape_text(values) + " but scales " +
                      shape_text(scales));
  }
  torch::Tensor quantized;
  if (is_training()) {
    quantized = values + torch::empty_like(values).uniform_(-0.5, 0.5);
  } else {
    quantized = means.defined() ? torch::round(values - means) + means : torch::round(values);
  }
  const torch::Tensor centred = means.defined() ? quantized - means : quantized;
  return {quantized, likelihood(centred, scales)};
}

torch::Tensor GaussianConditional::indexes(const torch::Tensor& scales) const {
  const torch::Tensor s = scales.detach().clamp_min(settings_.scale_bound);
  const torch::Tensor thresholds =
      scale_table_.narrow(0, 0, settings_.scale_levels - 1).to(s.device(), s.scalar_type());
  // How many table scales lie below each scale: comparisons only, no
  // arithmetic that could round differently elsewhere.
  return (s.unsqueeze(-1) > thresholds).sum(-1).to(torch::kInt);
}

void GaussianConditional::compress(const torch::Tensor& values, const torch::Tensor& indexes,
                                   const torch::Tensor& means, RansEncoder& encoder) const {
  const torch::Tensor symbols =
      means.defined() ? torch::round(values - means) : torch::round(values);
  encode_symbols(symbols, indexes, tables_, encoder);
}

torch::Tensor GaussianConditional::decompress(RansDecoder& decoder, const torch::Tensor& indexes,
                                              const torch::Tensor& means) const {
  const torch::Tensor symbols = decode_symbols(decoder, indexes, tables_);
  if (!means.defined()) return symbols;
  return symbols.to(means.device(), means.scalar_type()) + means;
}

}  // namespace stegolab
