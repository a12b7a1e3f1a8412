// Affine coupling: the part of a block that mixes the cover and secret halves.
//   forward:  y1 = x1 + phi(x2);  y2 = x2 * exp(c * tanh(rho(y1))) + eta(y1)
//   inverse:  x2 = (y2 - eta(y1)) * exp(-c * tanh(rho(y1)));  x1 = y1 - phi(x2)
// The subnets phi, rho, eta never need inverting, so they can be any network;
// c * tanh(.) bounds the log-scale to (-c, c) so exp() can neither overflow
// nor make the inverse ill-conditioned.
#pragma once

#include <torch/torch.h>

namespace stegolab::star_inn {

// conv3x3 -> LeakyReLU -> conv3x3 -> LeakyReLU -> conv3x3, the last layer
// zero-initialised so an untrained coupling is the identity.
class CouplingSubnetImpl : public torch::nn::Module {
 public:
  CouplingSubnetImpl(int64_t in_channels, int64_t hidden, int64_t out_channels);
  torch::Tensor forward(const torch::Tensor& x);

  // Floating-point operations per coefficient position (2 per multiply-add).
  double flops_per_position() const;

 private:
  torch::nn::Conv2d conv1_{nullptr}, conv2_{nullptr}, conv3_{nullptr};
  int64_t in_channels_, hidden_, out_channels_;
};
TORCH_MODULE(CouplingSubnet);

class AffineCouplingImpl : public torch::nn::Module {
 public:
  // channels: total (both halves); must be even.
  AffineCouplingImpl(int64_t channels, int64_t hidden, double clamp);

  // x: NCHW coefficients, the first half of the channels is x1 (cover side).
  torch::Tensor forward(const torch::Tensor& x);
  torch::Tensor inverse(const torch::Tensor& y);

  double flops_per_position() const;

 private:
  int64_t half_;
  double clamp_;
  CouplingSubnet phi_{nullptr}, rho_{nullptr}, eta_{nullptr};
};
TORCH_MODULE(AffineCoupling);

}  // namespace stegolab::star_inn
