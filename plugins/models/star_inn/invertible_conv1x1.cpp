#include "invertible_conv1x1.hpp"

namespace stegolab::star_inn {

InvertibleConv1x1Impl::InvertibleConv1x1Impl(int64_t channels) : channels_(channels) {
  permutation_ = register_buffer("permutation", torch::eye(channels));
  sign_s_ = register_buffer("sign_s", torch::ones({channels}));
  lower_mask_ = register_buffer("lower_mask", torch::ones({channels, channels}).tril(-1));
  lower_ = register_parameter("lower", torch::zeros({channels, channels}));
  upper_ = register_parameter("upper", torch::zeros({channels, channels}));
  log_s_ = register_parameter("log_s", torch::zeros({channels}));
}

torch::Tensor InvertibleConv1x1Impl::weight() const {
  const auto eye = torch::eye(channels_, lower_.options());
  const auto l = lower_ * lower_mask_ + eye;
  const auto u = upper_ * lower_mask_.t() + torch::diag(sign_s_ * torch::exp(log_s_));
  return torch::matmul(permutation_, torch::matmul(l, u));
}

torch::Tensor InvertibleConv1x1Impl::forward(const torch::Tensor& x) {
  return torch::conv2d(x, weight().to(x.dtype()).view({channels_, channels_, 1, 1}));
}

torch::Tensor InvertibleConv1x1Impl::inverse(const torch::Tensor& y) {
  // fp64 keeps the round trip exact to fp32 precision even for ill-conditioned W.
  // linalg_inv_ex, not inverse: it skips the singularity check, which would
  // wait for the device every call; W is invertible by construction.
  const auto inverse_weight =
      std::get<0>(torch::linalg_inv_ex(weight().to(torch::kFloat64))).to(y.dtype());
  return torch::conv2d(y, inverse_weight.view({channels_, channels_, 1, 1}));
}

}  // namespace stegolab::star_inn
