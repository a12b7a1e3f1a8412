#include "gdn.hpp"

#include <cmath>

#include <torch/torch.h>

namespace stegolab::learned_codecs {

namespace {

// The reparametrisation's pedestal keeps the square root's gradient finite at 0.
constexpr double kPedestal = 1.0 / (1ull << 36);  // (2^-18)^2
constexpr double kBetaMin = 1e-6;
constexpr double kGammaInit = 0.1;

torch::Tensor reparametrise(const torch::Tensor& value) { return torch::sqrt(value + kPedestal); }

// The value a reparametrised parameter stands for, bounded below by `minimum`.
torch::Tensor bounded(const torch::Tensor& parameter, double minimum) {
  const double bound = std::sqrt(minimum + kPedestal);
  return torch::clamp_min(parameter, bound).square() - kPedestal;
}

}  // namespace

Gdn::Gdn(int64_t channels, bool inverse) : inverse_(inverse) {
  beta_ = register_parameter("beta", reparametrise(torch::ones({channels})));
  gamma_ = register_parameter("gamma", reparametrise(kGammaInit * torch::eye(channels)));
}

torch::Tensor Gdn::forward(const torch::Tensor& x) {
  const int64_t channels = beta_.size(0);
  const torch::Tensor beta = bounded(beta_, kBetaMin);
  const torch::Tensor gamma = bounded(gamma_, 0.0).reshape({channels, channels, 1, 1});
  const torch::Tensor norm = torch::conv2d(x.square(), gamma.to(x.dtype()), beta.to(x.dtype()));
  return inverse_ ? x * torch::sqrt(norm) : x * torch::rsqrt(norm);
}

}  // namespace stegolab::learned_codecs
