// The convolutional transforms of Ballé et al. (2018), shared by the
// factorized-prior and the scale-hyperprior codecs: analysis g_a (four 5x5
// stride-2 convolutions with GDN between them) and its mirror, synthesis g_s
// (transposed convolutions with inverse GDN); the hyperprior's h_a and h_s.
#pragma once

#include <cstdint>

#include <torch/nn/modules/container/sequential.h>

namespace stegolab::learned_codecs {

struct TransformWidths {
  int64_t image_channels = 3;
  int64_t n = 128;  // hidden channels
  int64_t m = 192;  // latent channels
};

torch::nn::Sequential analysis_transform(const TransformWidths& widths);
torch::nn::Sequential synthesis_transform(const TransformWidths& widths);
// From |y| (M channels) to z (N channels) at a quarter of y's size.
torch::nn::Sequential hyper_analysis(const TransformWidths& widths);
// From z back to the scales of y (M channels, non-negative).
torch::nn::Sequential hyper_synthesis(const TransformWidths& widths);

// Floating-point operations (a multiply-add counts 2) of g_a + g_s, and of
// h_a + h_s, for one image of height x width.
double main_transforms_flops(const TransformWidths& widths, int64_t height, int64_t width);
double hyper_transforms_flops(const TransformWidths& widths, int64_t height, int64_t width);

}  // namespace stegolab::learned_codecs
