#include "subpixel_transposed_conv.hpp"

#include <torch/torch.h>

namespace stegolab::learned_codecs {

namespace {

constexpr int64_t kKernel = 5;

// Output row 2m + a of the transposed convolution (stride 2, padding 2) sums
// x[m + j - 1] * w[a + 4 - 2j] over the window j = 0, 1, 2 where that tap
// exists: taps 4, 2, 0 for even rows, (none), 3, 1 for odd ones; in the
// flipped kernel (index 4 - t) that is every second tap from a, with a zero
// in front for odd rows. Columns likewise with b. [in, out, 5, 5] -> [in, out, 3, 3].
torch::Tensor phase_kernel(const torch::Tensor& flipped, int64_t a, int64_t b) {
  const torch::Tensor taps = flipped.slice(2, a, kKernel, 2).slice(3, b, kKernel, 2);
  return torch::constant_pad_nd(taps, {b, 0, a, 0});
}

}  // namespace

SubpixelTransposedConv::SubpixelTransposedConv(int64_t in_channels, int64_t out_channels) {
  // Drawn by ConvTranspose2d itself, so that initial values (and the random
  // stream after them) stay those of the module this one replaces.
  torch::nn::ConvTranspose2d reference(torch::nn::ConvTranspose2dOptions(in_channels, out_channels, kKernel)
                                           .stride(2)
                                           .padding(2)
                                           .output_padding(1));
  weight_ = register_parameter("weight", reference->weight.detach().clone());
  bias_ = register_parameter("bias", reference->bias.detach().clone());
}

torch::Tensor SubpixelTransposedConv::forward(const torch::Tensor& x) {
  const int64_t in = weight_.size(0), out = weight_.size(1);
  const torch::Tensor flipped = weight_.flip({2, 3});
  // Phases a * 2 + b, as pixel_shuffle reads channel c * 4 + a * 2 + b:
  // [in, out, 4, 3, 3] -> [out, 4, in, 3, 3] -> [4 out, in, 3, 3].
  const torch::Tensor phase_kernels =
      torch::stack({phase_kernel(flipped, 0, 0), phase_kernel(flipped, 0, 1), phase_kernel(flipped, 1, 0),
                    phase_kernel(flipped, 1, 1)},
                   2)
          .permute({1, 2, 0, 3, 4})
          .reshape({out * 4, in, 3, 3});
  const torch::Tensor phase_images =
      torch::conv2d(x, phase_kernels, bias_.repeat_interleave(4), /*stride=*/1, /*padding=*/1);
  return torch::pixel_shuffle(phase_images, 2);
}

}  // namespace stegolab::learned_codecs
