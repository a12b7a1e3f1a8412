// The codecs' 5x5 stride-2 transposed convolution (padding 2, output padding
// 1: exactly twice the input size), computed as one 3x3 convolution to four
// phase images and a pixel shuffle. Each output pixel of a stride-2 transposed
// convolution sees only the kernel taps of its phase (row and column parity):
// 3x3, 3x2, 2x3 or 2x2 of the 25. Slicing them into a (4 * out, in, 3, 3)
// kernel (zeros for the missing taps; differentiable, no extra state) gives the same sums with 1.44 times the
// multiplications, through the ordinary convolution, which LibTorch's CPU
// build runs some 40 times faster than its transposed convolution
// (docs/compression.md, "Decoding speed").
//
// The parameters are ConvTranspose2d's, by name, shape, layout and initial
// values: checkpoints and stream fingerprints do not see the difference; the
// sums differ from ConvTranspose2d's only by floating-point rounding.
#pragma once

#include <cstdint>

#include <torch/nn/module.h>
#include <torch/types.h>

namespace stegolab::learned_codecs {

class SubpixelTransposedConv : public torch::nn::Module {
 public:
  SubpixelTransposedConv(int64_t in_channels, int64_t out_channels);
  torch::Tensor forward(const torch::Tensor& x);

 private:
  torch::Tensor weight_;  // [in, out, 5, 5], as ConvTranspose2d
  torch::Tensor bias_;    // [out]
};

}  // namespace stegolab::learned_codecs
