// One layer of Baluja's networks: 3x3, 4x4 and 5x5 convolutions side by side
// on the same input, `width` filters each, concatenated and passed through a
// ReLU. Output: 3 * width channels at the input's size.
//
// The 4x4 branch uses "same" padding as TensorFlow defines it for an even
// kernel (one more row and column of zeros at the bottom and right), so every
// branch keeps the input's size, whatever it is, and the paper's kernel sizes
// are kept.
#pragma once

#include <array>

#include <torch/torch.h>

namespace stegolab::baluja_cnn {

class ParallelConvLayerImpl : public torch::nn::Module {
 public:
  ParallelConvLayerImpl(int64_t in_channels, int64_t width);

  // x: NCHW [N, in_channels, h, w] -> [N, 3 * width, h, w].
  torch::Tensor forward(const torch::Tensor& x);

  int64_t out_channels() const { return 3 * width_; }
  // Floating-point operations per pixel (2 per multiply-add; biases not counted).
  double flops_per_position() const;

 private:
  int64_t width_;
  std::array<torch::nn::Conv2d, 3> branches_{nullptr, nullptr, nullptr};
};
TORCH_MODULE(ParallelConvLayer);

}  // namespace stegolab::baluja_cnn
