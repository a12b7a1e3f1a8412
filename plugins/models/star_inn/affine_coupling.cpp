#include "affine_coupling.hpp"

namespace stegolab::star_inn {

namespace {
constexpr double kLeakySlope = 0.2;

torch::nn::Conv2d conv3x3(int64_t in, int64_t out) {
  return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 3).padding(1));
}
}  // namespace

CouplingSubnetImpl::CouplingSubnetImpl(int64_t in_channels, int64_t hidden, int64_t out_channels)
    : in_channels_(in_channels), hidden_(hidden), out_channels_(out_channels) {
  conv1_ = register_module("conv1", conv3x3(in_channels, hidden));
  conv2_ = register_module("conv2", conv3x3(hidden, hidden));
  conv3_ = register_module("conv3", conv3x3(hidden, out_channels));
  torch::NoGradGuard no_grad;
  conv3_->weight.zero_();
  conv3_->bias.zero_();
}

torch::Tensor CouplingSubnetImpl::forward(const torch::Tensor& x) {
  auto h = torch::leaky_relu(conv1_(x), kLeakySlope);
  h = torch::leaky_relu(conv2_(h), kLeakySlope);
  return conv3_(h);
}

double CouplingSubnetImpl::flops_per_position() const {
  return 2.0 * 9.0 * (in_channels_ * hidden_ + hidden_ * hidden_ + hidden_ * out_channels_);
}

AffineCouplingImpl::AffineCouplingImpl(int64_t channels, int64_t hidden, double clamp)
    : half_(channels / 2), clamp_(clamp) {
  phi_ = register_module("phi", CouplingSubnet(half_, hidden, half_));
  rho_ = register_module("rho", CouplingSubnet(half_, hidden, half_));
  eta_ = register_module("eta", CouplingSubnet(half_, hidden, half_));
}

torch::Tensor AffineCouplingImpl::forward(const torch::Tensor& x) {
  const auto x1 = x.narrow(1, 0, half_);
  const auto x2 = x.narrow(1, half_, half_);
  const auto y1 = x1 + phi_(x2);
  const auto log_scale = clamp_ * torch::tanh(rho_(y1));
  const auto y2 = x2 * torch::exp(log_scale) + eta_(y1);
  return torch::cat({y1, y2}, 1);
}

torch::Tensor AffineCouplingImpl::inverse(const torch::Tensor& y) {
  const auto y1 = y.narrow(1, 0, half_);
  const auto y2 = y.narrow(1, half_, half_);
  const auto log_scale = clamp_ * torch::tanh(rho_(y1));
  const auto x2 = (y2 - eta_(y1)) * torch::exp(-log_scale);
  const auto x1 = y1 - phi_(x2);
  return torch::cat({x1, x2}, 1);
}

double AffineCouplingImpl::flops_per_position() const {
  return phi_->flops_per_position() + rho_->flops_per_position() + eta_->flops_per_position();
}

}  // namespace stegolab::star_inn
