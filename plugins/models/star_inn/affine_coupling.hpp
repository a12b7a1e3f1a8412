// Affine coupling: the part of a block that mixes the cover and secret halves
// (the secret half holds every secret's channels when a cover carries several).
//   forward:  y1 = x1 + phi(x2);  y2 = x2 * exp(c * tanh(rho(y1))) + eta(y1)
//   inverse:  x2 = (y2 - eta(y1)) * exp(-c * tanh(rho(y1)));  x1 = y1 - phi(x2)
// The subnets phi, rho, eta never need inverting, so they can be any network;
// c * tanh(.) bounds the log-scale to (-c, c) so exp() can neither overflow
// nor make the inverse ill-conditioned. rho and eta both read y1, so they run
// fused as one two-group subnet (`rho_eta`).
#pragma once

#include <utility>

#include <torch/torch.h>

#include "coupling_subnet.hpp"

namespace stegolab::star_inn {

class AffineCouplingImpl : public torch::nn::Module {
 public:
  // cover_channels, secret_channels: channels of the halves x1 and x2.
  AffineCouplingImpl(int64_t cover_channels, int64_t secret_channels, int64_t hidden, double clamp,
                     SubnetExecution execution = SubnetExecution::grouped);

  // x: NCHW coefficients, the first cover_channels channels are x1 (cover side).
  torch::Tensor forward(const torch::Tensor& x);
  torch::Tensor inverse(const torch::Tensor& y);

  double flops_per_position() const;

  // Reads weights saved before rho and eta were fused (separate `rho` and
  // `eta` modules) as well as the fused layout, so older checkpoints load.
  void load(torch::serialize::InputArchive& archive) override;

 private:
  // (c * tanh(rho(y1)), eta(y1)): the log-scale and the shift of the x2 half.
  std::pair<torch::Tensor, torch::Tensor> scale_and_shift(const torch::Tensor& y1);

  int64_t cover_channels_;
  double clamp_;
  CouplingSubnet phi_{nullptr}, rho_eta_{nullptr};
};
TORCH_MODULE(AffineCoupling);

}  // namespace stegolab::star_inn
