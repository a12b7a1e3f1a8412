#include "coupling_subnet.hpp"

#include <string>
#include <utility>

namespace stegolab::star_inn {

namespace {
constexpr double kSubnetLeakySlope = 0.2;

torch::nn::Conv2d subnet_conv3x3(int64_t in, int64_t out, int64_t groups) {
  return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 3).padding(1).groups(groups));
}
}  // namespace

CouplingSubnetImpl::CouplingSubnetImpl(int64_t in_channels, int64_t hidden, int64_t out_channels,
                                       int64_t groups, SubnetExecution execution)
    : in_channels_(in_channels),
      hidden_(hidden),
      out_channels_(out_channels),
      groups_(groups),
      execution_(groups == 1 ? SubnetExecution::grouped : execution) {
  // Each grouped layer's fan-in is one subnet's, so the default initialisation
  // draws from the same distribution as for separate subnets.
  conv1_ = register_module("conv1", subnet_conv3x3(in_channels, groups * hidden, 1));
  conv2_ = register_module("conv2", subnet_conv3x3(groups * hidden, groups * hidden, groups));
  conv3_ = register_module("conv3", subnet_conv3x3(groups * hidden, groups * out_channels, groups));
  torch::NoGradGuard no_grad;
  conv3_->weight.zero_();
  conv3_->bias.zero_();
}

std::vector<torch::Tensor> CouplingSubnetImpl::forward(const torch::Tensor& x) {
  return execution_ == SubnetExecution::grouped ? forward_grouped(x) : forward_separate(x);
}

std::vector<torch::Tensor> CouplingSubnetImpl::forward_grouped(const torch::Tensor& x) {
  auto h = torch::leaky_relu(conv1_(x), kSubnetLeakySlope);
  h = torch::leaky_relu(conv2_(h), kSubnetLeakySlope);
  return conv3_(h).split(out_channels_, 1);
}

std::vector<torch::Tensor> CouplingSubnetImpl::forward_separate(const torch::Tensor& x) {
  // Group g's filters are rows [g * n, (g + 1) * n) of a layer's weight and
  // bias: contiguous views, and the activations stay contiguous too. One split
  // per tensor, so backward joins the groups' gradients with one cat.
  const auto split = [&](const torch::nn::Conv2d& conv, int64_t n) {
    return std::make_pair(conv->weight.split(n, 0), conv->bias.split(n, 0));
  };
  const auto [w1, b1] = split(conv1_, hidden_);
  const auto [w2, b2] = split(conv2_, hidden_);
  const auto [w3, b3] = split(conv3_, out_channels_);
  const std::vector<int64_t> stride{1}, padding{1};
  std::vector<torch::Tensor> outputs;
  for (size_t g = 0; g < static_cast<size_t>(groups_); ++g) {
    auto h = torch::leaky_relu(torch::conv2d(x, w1[g], b1[g], stride, padding), kSubnetLeakySlope);
    h = torch::leaky_relu(torch::conv2d(h, w2[g], b2[g], stride, padding), kSubnetLeakySlope);
    outputs.push_back(torch::conv2d(h, w3[g], b3[g], stride, padding));
  }
  return outputs;
}

void CouplingSubnetImpl::load_separate(std::vector<torch::serialize::InputArchive>& subnets) {
  TORCH_CHECK(static_cast<int64_t>(subnets.size()) == groups_, "expected ", groups_,
              " separate subnets, got ", subnets.size());
  torch::NoGradGuard no_grad;
  for (const auto& layer : named_children()) {
    for (auto& parameter : layer.value()->named_parameters(/*recurse=*/false)) {
      // Group g's filters are rows [g * n, (g + 1) * n) of every fused tensor,
      // for the first (ungrouped) convolution as for the grouped ones.
      std::vector<torch::Tensor> parts;
      for (auto& subnet : subnets) {
        torch::serialize::InputArchive layer_archive;
        subnet.read(layer.key(), layer_archive);
        torch::Tensor part;
        layer_archive.read(parameter.key(), part);
        parts.push_back(part);
      }
      const torch::Tensor fused = torch::cat(parts, 0);
      TORCH_CHECK(fused.sizes() == parameter.value().sizes(), "separate subnets' '", layer.key(),
                  ".", parameter.key(), "' give shape ", fused.sizes(), ", expected ",
                  parameter.value().sizes());
      parameter.value().copy_(fused);
    }
  }
}

double CouplingSubnetImpl::flops_per_position() const {
  const double per_subnet =
      2.0 * 9.0 * (in_channels_ * hidden_ + hidden_ * hidden_ + hidden_ * out_channels_);
  return static_cast<double>(groups_) * per_subnet;
}

}  // namespace stegolab::star_inn
