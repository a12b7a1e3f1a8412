// Invertible 1x1 convolution (Glow), LU-parametrised: W = P L (U + diag(s)),
// with P a fixed permutation, L unit lower triangular, U strictly upper
// triangular and s = sign * exp(log_s). The parametrisation keeps W
// invertible for any parameter values, and the inverse is exact up to fp
// rounding (computed in fp64 from the same factors).
#pragma once

#include <torch/torch.h>

namespace stegolab::star_inn {

class InvertibleConv1x1Impl : public torch::nn::Module {
 public:
  // Starts at the identity (P = I, L = I, U = 0, s = 1): at first the
  // channels are not mixed, so cover and secret bands stay in their halves
  // (up to ActNorm's per-channel normalisation) and training learns the mixing.
  explicit InvertibleConv1x1Impl(int64_t channels);

  // x: NCHW coefficients (any range).
  torch::Tensor forward(const torch::Tensor& x);
  torch::Tensor inverse(const torch::Tensor& y);

  torch::Tensor weight() const;  // [C, C]
  int64_t channels() const { return channels_; }

 private:
  int64_t channels_;
  torch::Tensor permutation_;  // buffer [C, C]
  torch::Tensor sign_s_;       // buffer [C]
  torch::Tensor lower_mask_;   // buffer [C, C], strictly lower
  torch::Tensor lower_;        // parameter [C, C], only the strictly lower part is used
  torch::Tensor upper_;        // parameter [C, C], only the strictly upper part is used
  torch::Tensor log_s_;        // parameter [C]
};
TORCH_MODULE(InvertibleConv1x1);

}  // namespace stegolab::star_inn
