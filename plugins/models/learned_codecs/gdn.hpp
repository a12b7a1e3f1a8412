// Generalized divisive normalization (Ballé et al. 2016):
//   y_i = x_i / sqrt(beta_i + sum_j gamma_ij x_j^2)
// and its inverse approximation (multiply instead of divide) for the
// synthesis side. beta and gamma are kept non-negative by a square
// reparametrisation with a lower bound, as in the reference implementation.
#pragma once

#include <cstdint>

#include <torch/nn/module.h>
#include <torch/types.h>

namespace stegolab::learned_codecs {

class Gdn : public torch::nn::Module {
 public:
  Gdn(int64_t channels, bool inverse);
  torch::Tensor forward(const torch::Tensor& x);

 private:
  bool inverse_;
  torch::Tensor beta_;   // reparametrised, [C]
  torch::Tensor gamma_;  // reparametrised, [C, C]
};

}  // namespace stegolab::learned_codecs
