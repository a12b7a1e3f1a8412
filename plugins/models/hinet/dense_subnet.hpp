// HiNet's coupling subnet: a five-layer dense block (as in ESRGAN's residual
// dense block, without the residual). Layer k reads the input and every
// earlier layer's output, concatenated:
//   x1 = lrelu(conv1(x)), x2 = lrelu(conv2([x, x1])), ..., out = conv5([x, x1..x4])
// All convolutions are 3x3 with padding 1. conv5 starts at zero, as in the
// paper's code, so an untrained coupling is the identity.
#pragma once

#include <vector>

#include <torch/torch.h>

namespace stegolab::hinet {

class DenseSubnetImpl : public torch::nn::Module {
 public:
  // growth: output channels of conv1..conv4.
  DenseSubnetImpl(int64_t in_channels, int64_t growth, int64_t out_channels);

  // x: NCHW [N, in_channels, h, w] -> [N, out_channels, h, w].
  torch::Tensor forward(const torch::Tensor& x);

  // Floating-point operations per position (2 per multiply-add; biases and
  // activations not counted).
  double flops_per_position() const;

 private:
  std::vector<torch::nn::Conv2d> convs_;
};
TORCH_MODULE(DenseSubnet);

}  // namespace stegolab::hinet
