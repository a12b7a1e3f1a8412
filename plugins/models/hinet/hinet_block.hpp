// One HiNet invertible block: an affine coupling of the cover half x1 and the
// secret half x2 of the wavelet coefficients (x2 holds every secret's bands
// when a cover carries several: the extra secrets are extra coupling channels).
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
  // cover_channels, secret_channels: channels of the halves x1 and x2.
  HinetBlockImpl(int64_t cover_channels, int64_t secret_channels, int64_t growth, double clamp);

  // x: NCHW [N, cover_channels + secret_channels, h, w], the cover half first.
  torch::Tensor forward(const torch::Tensor& x);
  torch::Tensor inverse(const torch::Tensor& y);

  // Floating-point operations of one pass (forward or inverse) per position.
  double flops_per_position() const;

 private:
  torch::Tensor log_scale(const torch::Tensor& y1);

  int64_t cover_channels_;
  double clamp_;
  DenseSubnet phi_{nullptr}, rho_{nullptr}, eta_{nullptr};
};
TORCH_MODULE(HinetBlock);

}  // namespace stegolab::hinet
