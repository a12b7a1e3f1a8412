#include "dense_subnet.hpp"

#include <string>

namespace stegolab::hinet {

namespace {
constexpr int64_t kDenseLayers = 5;
// nn.LeakyReLU's default slope, which the paper's code uses.
constexpr double kLeakySlope = 0.01;
}  // namespace

DenseSubnetImpl::DenseSubnetImpl(int64_t in_channels, int64_t growth, int64_t out_channels) {
  for (int64_t k = 0; k < kDenseLayers; ++k) {
    const bool last = k + 1 == kDenseLayers;
    const auto options =
        torch::nn::Conv2dOptions(in_channels + k * growth, last ? out_channels : growth, 3)
            .padding(1);
    convs_.push_back(register_module("conv" + std::to_string(k + 1), torch::nn::Conv2d(options)));
  }
  torch::NoGradGuard no_grad;
  convs_.back()->weight.zero_();
  convs_.back()->bias.zero_();
}

torch::Tensor DenseSubnetImpl::forward(const torch::Tensor& x) {
  std::vector<torch::Tensor> features{x};
  for (size_t k = 0; k + 1 < convs_.size(); ++k) {
    features.push_back(torch::leaky_relu(convs_[k](torch::cat(features, 1)), kLeakySlope));
  }
  return convs_.back()(torch::cat(features, 1));
}

double DenseSubnetImpl::flops_per_position() const {
  double flops = 0.0;
  for (const auto& conv : convs_) flops += 2.0 * static_cast<double>(conv->weight.numel());
  return flops;
}

}  // namespace stegolab::hinet
