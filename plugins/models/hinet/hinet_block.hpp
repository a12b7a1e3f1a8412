// One HiNet invertible block: an affine coupling of the cover half x1 and the
// secret half x2 of the wavelet coefficients.
//   forward:  y1 = x1 + phi(x2);  y2 = x2 * exp(c * (2 sigmoid(rho(y1)) - 1)) + eta(y1)
//   inverse:  x2 = (y2 - eta(y1)) * exp(-c * (2 sigmoid(rho(y1)) - 1));  x1 = y1 - phi(x2)
// c * (2 sigmoid(.) - 1) is HiNet's bound of the log-scale to (-c, c) (the
// paper's clamp, 2.0); the subnets are never inverted, so they can be any network.
#pragma once

#include <torch/torch.h>

#include "dense_subnet.hpp"

namespace stegolab::hinet {

class HinetBlockImpl : public torch::nn::Module {
 public:
  // half_channels: channels of each half (cover or secret coefficients).
  HinetBlockImpl(int64_t half_channels, int64_t growth, double clamp);

  // x: NCHW [N, 2 * half_channels, h, w], the cover half first.
  torch::Tensor forward(const torch::Tensor& x);
  torch::Tensor inverse(const torch::Tensor& y);

  // Floating-point operations of one pass (forward or inverse) per position.
  double flops_per_position() const;

 private:
  torch::Tensor log_scale(const torch::Tensor& y1);

  int64_t half_;
  double clamp_;
  DenseSubnet phi_{nullptr}, rho_{nullptr}, eta_{nullptr};
};
TORCH_MODULE(HinetBlock);

}  // namespace stegolab::hinet
