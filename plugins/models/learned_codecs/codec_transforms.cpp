#include "codec_transforms.hpp"

#include <memory>

#include <torch/torch.h>

#include "gdn.hpp"
#include "subpixel_transposed_conv.hpp"

namespace stegolab::learned_codecs {

namespace {

torch::nn::Conv2d down(int64_t in, int64_t out, int64_t kernel, int64_t stride) {
  return torch::nn::Conv2d(
      torch::nn::Conv2dOptions(in, out, kernel).stride(stride).padding(kernel / 2));
}

// Doubles the size exactly, the mirror of down(.., 5, 2): a 5x5 stride-2
// transposed convolution, computed the fast way on every device.
std::shared_ptr<SubpixelTransposedConv> up(int64_t in, int64_t out) {
  return std::make_shared<SubpixelTransposedConv>(in, out);
}

// 2 * in * out * k^2 per output position.
double conv_flops(int64_t in, int64_t out, int64_t kernel, int64_t positions) {
  return 2.0 * static_cast<double>(in * out * kernel * kernel) * static_cast<double>(positions);
}

}  // namespace

torch::nn::Sequential analysis_transform(const TransformWidths& w) {
  return torch::nn::Sequential(down(w.image_channels, w.n, 5, 2), std::make_shared<Gdn>(w.n, false),
                               down(w.n, w.n, 5, 2), std::make_shared<Gdn>(w.n, false), down(w.n, w.n, 5, 2),
                               std::make_shared<Gdn>(w.n, false), down(w.n, w.m, 5, 2));
}

torch::nn::Sequential synthesis_transform(const TransformWidths& w) {
  return torch::nn::Sequential(up(w.m, w.n), std::make_shared<Gdn>(w.n, true), up(w.n, w.n), std::make_shared<Gdn>(w.n, true),
                               up(w.n, w.n), std::make_shared<Gdn>(w.n, true), up(w.n, w.image_channels));
}

torch::nn::Sequential hyper_analysis(const TransformWidths& w) {
  return torch::nn::Sequential(down(w.m, w.n, 3, 1), torch::nn::ReLU(), down(w.n, w.n, 5, 2),
                               torch::nn::ReLU(), down(w.n, w.n, 5, 2));
}

torch::nn::Sequential hyper_synthesis(const TransformWidths& w) {
  return torch::nn::Sequential(up(w.n, w.n), torch::nn::ReLU(), up(w.n, w.n), torch::nn::ReLU(),
                               down(w.n, w.m, 3, 1), torch::nn::ReLU());
}

double main_transforms_flops(const TransformWidths& w, int64_t height, int64_t width) {
  double flops = 0.0;
  const int64_t c[5] = {w.image_channels, w.n, w.n, w.n, w.m};
  int64_t positions = height * width;
  for (int layer = 0; layer < 4; ++layer) {
    positions /= 4;
    // The convolution and its transposed mirror, and a GDN (C x C per position).
    flops += 2.0 * conv_flops(c[layer], c[layer + 1], 5, positions);
    if (layer < 3) flops += 2.0 * conv_flops(c[layer + 1], c[layer + 1], 1, positions);
  }
  return flops;
}

double hyper_transforms_flops(const TransformWidths& w, int64_t height, int64_t width) {
  const int64_t y = (height / 16) * (width / 16);
  return 2.0 * conv_flops(w.m, w.n, 3, y) + 2.0 * conv_flops(w.n, w.n, 5, y / 4) +
         2.0 * conv_flops(w.n, w.n, 5, y / 16);
}

}  // namespace stegolab::learned_codecs
