// One of Baluja's three networks (preparation, hiding, reveal): `layers`
// parallel-convolution layers, optionally followed by a 1x1 convolution to
// image channels (the hiding and reveal networks end with one; the
// preparation network hands its features on as they are).
#pragma once

#include <optional>
#include <vector>

#include <torch/torch.h>

#include "parallel_conv_layer.hpp"

namespace stegolab::baluja_cnn {

class BranchNetworkImpl : public torch::nn::Module {
 public:
  // image_channels: the 1x1 output layer's channels; nullopt: no output layer.
  BranchNetworkImpl(int64_t in_channels, int64_t width, int64_t layers,
                    std::optional<int64_t> image_channels);

  // x: NCHW [N, in_channels, h, w] -> [N, out_channels(), h, w].
  torch::Tensor forward(const torch::Tensor& x);

  int64_t out_channels() const;
  double flops_per_position() const;

 private:
  std::vector<ParallelConvLayer> layers_;
  torch::nn::Conv2d to_image_{nullptr};
};
TORCH_MODULE(BranchNetwork);

}  // namespace stegolab::baluja_cnn
