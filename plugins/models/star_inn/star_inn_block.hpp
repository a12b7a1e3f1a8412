// One StarINN block: ActNorm -> invertible 1x1 convolution -> affine coupling.
// Every piece is invertible in closed form, so the block's inverse is exact
// up to fp rounding; that is what lets extraction run the network backwards
// and what the "recompute" memory mode uses to rebuild activations.
#pragma once

#include <torch/torch.h>

#include "act_norm.hpp"
#include "affine_coupling.hpp"
#include "invertible_conv1x1.hpp"

namespace stegolab::star_inn {

class StarInnBlockImpl : public torch::nn::Module {
 public:
  // cover_channels, secret_channels: the coupling's halves (all channels are
  // normalised and mixed together first).
  StarInnBlockImpl(int64_t cover_channels, int64_t secret_channels, int64_t hidden, double clamp,
                   SubnetExecution execution = SubnetExecution::grouped);

  // x: NCHW coefficients [N, cover_channels + secret_channels, h, w], cover half first.
  torch::Tensor forward(const torch::Tensor& x);
  torch::Tensor inverse(const torch::Tensor& y);

  // Floating-point operations of one forward pass per coefficient position.
  double flops_per_position() const;

 private:
  ActNorm act_norm_{nullptr};
  InvertibleConv1x1 mix_{nullptr};
  AffineCoupling coupling_{nullptr};
};
TORCH_MODULE(StarInnBlock);

}  // namespace stegolab::star_inn
