#include "stegolab/entropy_bottleneck.hpp"

#include <cmath>
#include <string>

#include <torch/torch.h>

#include "latent_symbols.hpp"
#include "stegolab/errors.hpp"
#include "stegolab/tensor_map.hpp"

namespace stegolab {

namespace {

// Likelihoods below this are treated as this (the rate of a sample never
// exceeds about 30 bits, and log2 stays finite).
constexpr double kLikelihoodFloor = 1e-9;

}  // namespace

EntropyBottleneck::EntropyBottleneck(EntropyBottleneckSettings settings)
    : settings_(std::move(settings)) {
  const int64_t c = settings_.channels;
  if (c < 1) throw Error("entropy bottleneck: channels must be >= 1");
  std::vector<int64_t> widths = {1};
  widths.insert(widths.end(), settings_.filters.begin(), settings_.filters.end());
  widths.push_back(1);
  const double scale = std::pow(settings_.init_scale, 1.0 / static_cast<double>(widths.size() - 1));
  for (std::size_t i = 0; i + 1 < widths.size(); ++i) {
    // softplus(init) = 1 / (scale * width): the initial density is roughly
    // uniform over [-init_scale, init_scale].
    const double init = std::log(std::expm1(1.0 / scale / static_cast<double>(widths[i + 1])));
    const std::string n = std::to_string(i);
    matrices_.push_back(
        register_parameter("matrix" + n, torch::full({c, widths[i + 1], widths[i]}, init)));
    biases_.push_back(
        register_parameter("bias" + n, torch::rand({c, widths[i + 1], 1}) - 0.5));
    if (i + 2 < widths.size()) {
      factors_.push_back(register_parameter("factor" + n, torch::zeros({c, widths[i + 1], 1})));
    }
  }
  auxiliary_ = register_module(
      "auxiliary", std::make_shared<GroupedParameters>(kEntropyAuxGroup, settings_.aux_learning_rate));
  const double s = settings_.init_scale;
  quantiles_ = auxiliary_->register_parameter(
      "quantiles", torch::tensor({-s, 0.0, s}, torch::kFloat).repeat({c, 1, 1}));
}

EntropyBottleneck::~EntropyBottleneck() = default;

torch::Tensor EntropyBottleneck::logits_cumulative(const torch::Tensor& inputs,
                                                   bool stop_gradient) const {
  torch::Tensor logits = inputs;
  for (std::size_t i = 0; i < matrices_.size(); ++i) {
    torch::Tensor matrix = torch::softplus(matrices_[i]);
    torch::Tensor bias = biases_[i];
    if (stop_gradient) {
      matrix = matrix.detach();
      bias = bias.detach();
    }
    logits = torch::matmul(matrix.to(logits.dtype()), logits) + bias.to(logits.dtype());
    if (i < factors_.size()) {
      torch::Tensor factor = torch::tanh(factors_[i]);
      if (stop_gradient) factor = factor.detach();
      logits = logits + factor.to(logits.dtype()) * torch::tanh(logits);
    }
  }
  return logits;
}

torch::Tensor EntropyBottleneck::likelihood(const torch::Tensor& inputs) const {
  const torch::Tensor lower = logits_cumulative(inputs - 0.5, false);
  const torch::Tensor upper = logits_cumulative(inputs + 0.5, false);
  // Differences of sigmoids on the side where they are small, for precision.
  const torch::Tensor sign = -torch::sign(lower + upper).detach();
  return torch::abs(torch::sigmoid(sign * upper) - torch::sigmoid(sign * lower));
}

torch::Tensor EntropyBottleneck::medians() const { return quantiles_.select(2, 1).reshape({-1}); }

torch::Tensor EntropyBottleneck::round_around_medians(const torch::Tensor& latents) const {
  const torch::Tensor m = medians().detach().reshape({1, -1, 1, 1}).to(latents.dtype());
  return torch::round(latents - m) + m;
}

QuantizedLatents EntropyBottleneck::forward(const torch::Tensor& latents) {
  if (latents.dim() != 4 || latents.size(1) != settings_.channels) {
    throw PluginError("entropy bottleneck: expected latents [N, " +
                      std::to_string(settings_.channels) + ", H, W], got " +
                      shape_text(latents));
  }
  torch::Tensor values;
  if (is_training()) {
    values = latents + torch::empty_like(latents).uniform_(-0.5, 0.5);
  } else {
    values = round_around_medians(latents);
  }
  // The density runs per channel: [C, 1, N * H * W].
  const torch::Tensor flat = values.transpose(0, 1).reshape({settings_.channels, 1, -1});
  const torch::Tensor flat_likelihood = likelihood(flat).clamp_min(kLikelihoodFloor);
  const torch::Tensor likelihoods =
      flat_likelihood.reshape({settings_.channels, latents.size(0), latents.size(2), latents.size(3)})
          .transpose(0, 1);
  return {values, likelihoods};
}

torch::Tensor EntropyBottleneck::aux_loss() const {
  // The logit of the cumulative at the quantiles should be -t, 0, t with
  // sigmoid(-t) = tail_mass / 2.
  const double target = std::log(2.0 / settings_.tail_mass - 1.0);
  const torch::Tensor targets =
      torch::tensor({-target, 0.0, target}, quantiles_.options()).reshape({1, 1, 3});
  return (logits_cumulative(quantiles_, true) - targets).abs().sum();
}

void EntropyBottleneck::update_tables() {
  torch::NoGradGuard no_grad;
  // In double on the CPU: the tables are built once and must not depend on
  // the device or on thread counts.
  const torch::Tensor quantiles = quantiles_.detach().to(torch::kCPU, torch::kDouble);
  const torch::Tensor m = quantiles.select(2, 1).reshape({-1});
  const torch::Tensor below = torch::ceil(m - quantiles.select(2, 0).reshape({-1})).clamp_min(0);
  const torch::Tensor above = torch::ceil(quantiles.select(2, 2).reshape({-1}) - m).clamp_min(0);
  const int64_t length = (below + above).max().item<int64_t>() + 1;
  const torch::Tensor samples =
      (torch::arange(length, torch::kDouble).reshape({1, 1, -1}) +
       (m - below).reshape({-1, 1, 1}))
          .to(matrices_[0].device());
  const torch::Tensor pmf = likelihood(samples).reshape({settings_.channels, length}).cpu();
  const torch::Tensor lower =
      torch::sigmoid(logits_cumulative(samples.narrow(2, 0, 1) - 0.5, true)).reshape({-1}).cpu();
  const torch::Tensor upper =
      torch::sigmoid(-logits_cumulative(samples.narrow(2, length - 1, 1) + 0.5, true))
          .reshape({-1})
          .cpu();
  tables_.clear();
  for (int64_t c = 0; c < settings_.channels; ++c) {
    const int64_t symbols = below[c].item<int64_t>() + above[c].item<int64_t>() + 1;
    tables_.push_back(quantized_cdf(first_masses(pmf[c], symbols),
                                    lower[c].item<double>() + upper[c].item<double>(),
                                    -static_cast<int32_t>(below[c].item<int64_t>())));
  }
}

void EntropyBottleneck::compress(const torch::Tensor& latents, RansEncoder& encoder) const {
  if (!has_tables()) throw PluginError("entropy bottleneck: compress() before update_tables()");
  const torch::Tensor m = medians().detach().reshape({1, -1, 1, 1}).to(latents.dtype());
  const torch::Tensor symbols = torch::round(latents - m);
  encode_symbols(symbols, channel_indexes(symbols.sizes()), tables_, encoder);
}

torch::Tensor EntropyBottleneck::decompress(RansDecoder& decoder, int64_t height,
                                            int64_t width) const {
  if (!has_tables()) throw PluginError("entropy bottleneck: decompress() before update_tables()");
  const torch::Tensor symbols =
      decode_symbols(decoder, channel_indexes({1, settings_.channels, height, width}), tables_);
  const torch::Tensor m = medians().detach().reshape({1, -1, 1, 1});
  return symbols.to(m.device(), m.scalar_type()) + m;
}

}  // namespace stegolab
