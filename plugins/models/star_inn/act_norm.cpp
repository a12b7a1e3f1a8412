#include "act_norm.hpp"

namespace stegolab::star_inn {

ActNormImpl::ActNormImpl(int64_t channels) {
  bias_ = register_parameter("bias", torch::zeros({1, channels, 1, 1}));
  log_scale_ = register_parameter("log_scale", torch::zeros({1, channels, 1, 1}));
  initialized_ = register_buffer("initialized", torch::zeros({}, torch::kUInt8));
}

bool ActNormImpl::initialized() {
  if (!seen_initialized_) seen_initialized_ = initialized_.item<uint8_t>() != 0;
  return seen_initialized_;
}

void ActNormImpl::load(torch::serialize::InputArchive& archive) {
  torch::nn::Module::load(archive);
  seen_initialized_ = false;
}

void ActNormImpl::initialize(const torch::Tensor& x) {
  torch::NoGradGuard no_grad;
  const auto flat = x.detach().to(torch::kFloat32).transpose(0, 1).flatten(1);
  const auto mean = flat.mean(1).view({1, -1, 1, 1});
  const auto std = flat.std(1, /*unbiased=*/false).view({1, -1, 1, 1});
  bias_.copy_(-mean);
  // The floor keeps constant channels (e.g. a flat secret) from exploding.
  log_scale_.copy_(-torch::log(std.clamp_min(1e-2)));
  initialized_.fill_(1);
  seen_initialized_ = true;
}

torch::Tensor ActNormImpl::forward(const torch::Tensor& x) {
  // Initialisation only while training: evaluation never changes the weights.
  if (is_training() && !initialized()) initialize(x);
  return (x + bias_) * torch::exp(log_scale_);
}

torch::Tensor ActNormImpl::inverse(const torch::Tensor& y) {
  return y * torch::exp(-log_scale_) - bias_;
}

}  // namespace stegolab::star_inn
