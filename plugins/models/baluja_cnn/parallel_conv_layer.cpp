#include "parallel_conv_layer.hpp"

#include <string>
#include <vector>

namespace stegolab::baluja_cnn {

namespace {
constexpr std::array<int64_t, 3> kKernelSizes{3, 4, 5};
}  // namespace

ParallelConvLayerImpl::ParallelConvLayerImpl(int64_t in_channels, int64_t width) : width_(width) {
  for (size_t b = 0; b < kKernelSizes.size(); ++b) {
    const int64_t k = kKernelSizes[b];
    // Odd kernels pad (k - 1) / 2 on every side; the even one gets its extra
    // row and column in forward().
    branches_[b] = register_module(
        "conv" + std::to_string(k) + "x" + std::to_string(k),
        torch::nn::Conv2d(torch::nn::Conv2dOptions(in_channels, width, k).padding((k - 1) / 2)));
  }
}

torch::Tensor ParallelConvLayerImpl::forward(const torch::Tensor& x) {
  std::vector<torch::Tensor> outputs;
  for (size_t b = 0; b < branches_.size(); ++b) {
    const bool even = kKernelSizes[b] % 2 == 0;
    // {left, right, top, bottom}: the padding the convolution does not do itself.
    outputs.push_back(branches_[b](even ? torch::constant_pad_nd(x, {0, 1, 0, 1}) : x));
  }
  return torch::relu(torch::cat(outputs, 1));
}

double ParallelConvLayerImpl::flops_per_position() const {
  double flops = 0.0;
  for (const auto& branch : branches_) flops += 2.0 * static_cast<double>(branch->weight.numel());
  return flops;
}

}  // namespace stegolab::baluja_cnn
