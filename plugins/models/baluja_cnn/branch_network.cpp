#include "branch_network.hpp"

#include <string>

namespace stegolab::baluja_cnn {

BranchNetworkImpl::BranchNetworkImpl(int64_t in_channels, int64_t width, int64_t layers,
                                     std::optional<int64_t> image_channels) {
  int64_t channels = in_channels;
  for (int64_t k = 0; k < layers; ++k) {
    layers_.push_back(
        register_module("layer" + std::to_string(k + 1), ParallelConvLayer(channels, width)));
    channels = layers_.back()->out_channels();
  }
  if (image_channels) {
    to_image_ = register_module(
        "to_image", torch::nn::Conv2d(torch::nn::Conv2dOptions(channels, *image_channels, 1)));
  }
}

torch::Tensor BranchNetworkImpl::forward(const torch::Tensor& x) {
  auto h = x;
  for (auto& layer : layers_) h = layer(h);
  // No activation on the image: the stego and the recovered secret are
  // compared with images in [-1, 1] and are not clamped (model.hpp).
  return to_image_ ? to_image_(h) : h;
}

int64_t BranchNetworkImpl::out_channels() const {
  return to_image_ ? to_image_->weight.size(0) : layers_.back()->out_channels();
}

double BranchNetworkImpl::flops_per_position() const {
  double flops = 0.0;
  for (const auto& layer : layers_) flops += layer->flops_per_position();
  if (to_image_) flops += 2.0 * static_cast<double>(to_image_->weight.numel());
  return flops;
}

}  // namespace stegolab::baluja_cnn
