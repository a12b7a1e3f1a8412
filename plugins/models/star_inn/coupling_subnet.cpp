#include "coupling_subnet.hpp"

#include <string>

namespace stegolab::star_inn {

namespace {
constexpr double kSubnetLeakySlope = 0.2;
constexpr int64_t kSubnetLayers = 3;

torch::nn::Conv2d drawn_conv3x3(int64_t in, int64_t out) {
  return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 3).padding(1));
}
}  // namespace

CouplingSubnetImpl::CouplingSubnetImpl(int64_t in_channels, int64_t hidden, int64_t out_channels,
                                       int64_t groups, SubnetExecution execution)
    : in_channels_(in_channels),
      hidden_(hidden),
      out_channels_(out_channels),
      groups_(groups),
      execution_(groups == 1 ? SubnetExecution::grouped : execution) {
  // The initial weights are drawn as `groups` separate subnets drew them (LibTorch's
  // default for each convolution, subnet after subnet), so a seeded run starts
  // from the same weights as before the subnets were fused.
  std::array<std::vector<torch::Tensor>, kSubnetLayers> weights, biases;
  for (int64_t g = 0; g < groups; ++g) {
    const std::array<torch::nn::Conv2d, kSubnetLayers> drawn{drawn_conv3x3(in_channels, hidden),
                                                             drawn_conv3x3(hidden, hidden),
                                                             drawn_conv3x3(hidden, out_channels)};
    for (size_t k = 0; k < drawn.size(); ++k) {
      weights[k].push_back(drawn[k]->weight.detach());
      biases[k].push_back(drawn[k]->bias.detach());
    }
  }
  for (size_t k = 0; k < weights.size(); ++k) {
    auto layer = register_module("conv" + std::to_string(k + 1),
                                 std::make_shared<torch::nn::Module>("SubnetConv3x3"));
    weights_[k] = layer->register_parameter("weight", torch::cat(weights[k], 0));
    biases_[k] = layer->register_parameter("bias", torch::cat(biases[k], 0));
  }
  // The last layer starts at zero, so an untrained coupling is the identity.
  torch::NoGradGuard no_grad;
  weights_[2].zero_();
  biases_[2].zero_();
}

std::vector<torch::Tensor> CouplingSubnetImpl::forward(const torch::Tensor& x) {
  return execution_ == SubnetExecution::grouped ? forward_grouped(x) : forward_separate(x);
}

std::vector<torch::Tensor> CouplingSubnetImpl::forward_grouped(const torch::Tensor& x) {
  // conv1 is not grouped: every subnet reads all of x.
  const std::vector<int64_t> stride{1}, padding{1}, dilation{1};
  auto h = torch::conv2d(x, weights_[0], biases_[0], stride, padding, dilation, 1);
  h = torch::leaky_relu(h, kSubnetLeakySlope);
  h = torch::conv2d(h, weights_[1], biases_[1], stride, padding, dilation, groups_);
  h = torch::leaky_relu(h, kSubnetLeakySlope);
  return torch::conv2d(h, weights_[2], biases_[2], stride, padding, dilation, groups_)
      .split(out_channels_, 1);
}

std::vector<torch::Tensor> CouplingSubnetImpl::forward_separate(const torch::Tensor& x) {
  // Group g's filters are rows [g * n, (g + 1) * n) of a layer's weight and
  // bias: contiguous views, and the activations stay contiguous too. One split
  // per tensor, so backward joins the groups' gradients with one cat.
  const auto w1 = weights_[0].split(hidden_, 0), b1 = biases_[0].split(hidden_, 0);
  const auto w2 = weights_[1].split(hidden_, 0), b2 = biases_[1].split(hidden_, 0);
  const auto w3 = weights_[2].split(out_channels_, 0), b3 = biases_[2].split(out_channels_, 0);
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
