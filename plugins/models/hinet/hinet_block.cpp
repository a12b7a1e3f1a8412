#include "hinet_block.hpp"

namespace stegolab::hinet {

HinetBlockImpl::HinetBlockImpl(int64_t cover_channels, int64_t secret_channels, int64_t growth,
                               double clamp)
    : cover_channels_(cover_channels), clamp_(clamp) {
  phi_ = register_module("phi", DenseSubnet(secret_channels, growth, cover_channels));
  rho_ = register_module("rho", DenseSubnet(cover_channels, growth, secret_channels));
  eta_ = register_module("eta", DenseSubnet(cover_channels, growth, secret_channels));
}

torch::Tensor HinetBlockImpl::log_scale(const torch::Tensor& y1) {
  return clamp_ * (2.0 * torch::sigmoid(rho_(y1)) - 1.0);
}

torch::Tensor HinetBlockImpl::forward(const torch::Tensor& x) {
  const auto halves = x.split_with_sizes({cover_channels_, x.size(1) - cover_channels_}, 1);
  const auto& x1 = halves[0];
  const auto& x2 = halves[1];
  const auto y1 = x1 + phi_(x2);
  const auto y2 = x2 * torch::exp(log_scale(y1)) + eta_(y1);
  return torch::cat({y1, y2}, 1);
}

torch::Tensor HinetBlockImpl::inverse(const torch::Tensor& y) {
  const auto halves = y.split_with_sizes({cover_channels_, y.size(1) - cover_channels_}, 1);
  const auto& y1 = halves[0];
  const auto& y2 = halves[1];
  const auto x2 = (y2 - eta_(y1)) * torch::exp(-log_scale(y1));
  const auto x1 = y1 - phi_(x2);
  return torch::cat({x1, x2}, 1);
}

double HinetBlockImpl::flops_per_position() const {
  return phi_->flops_per_position() + rho_->flops_per_position() + eta_->flops_per_position();
}

}  // namespace stegolab::hinet
