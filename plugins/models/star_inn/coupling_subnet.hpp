// The subnets of an affine coupling: conv3x3 -> LeakyReLU -> conv3x3 ->
// LeakyReLU -> conv3x3, the last layer zero-initialised so that an untrained
// coupling is the identity.
//
// `groups` subnets that read the same input run as one network: the first
// convolution has groups * hidden outputs, the other two are grouped
// convolutions, so subnet g sees only its own hidden channels and the result
// equals `groups` separate subnets (same weights, same FLOPs) in three
// convolution calls instead of 3 * groups. Larger convolutions keep the
// convolution library busier, and the input is read once. Where grouped
// convolutions are slow (oneDNN on the CPU, measured in docs/performance.md)
// the same fused weights run as separate convolutions on slices of them.
#pragma once

#include <array>
#include <vector>

#include <torch/torch.h>

namespace stegolab::star_inn {

// How the groups of a fused subnet are computed; the results are the same.
enum class SubnetExecution { grouped, separate };

class CouplingSubnetImpl : public torch::nn::Module {
 public:
  CouplingSubnetImpl(int64_t in_channels, int64_t hidden, int64_t out_channels, int64_t groups = 1,
                     SubnetExecution execution = SubnetExecution::grouped);

  // x: NCHW [N, in_channels, h, w]. Returns each subnet's output, [N, out_channels, h, w].
  std::vector<torch::Tensor> forward(const torch::Tensor& x);

  // Fills the weights from archives of `groups` separate subnets (the layout
  // before the subnets were fused: each with its own conv1..conv3), in order.
  void load_separate(std::vector<torch::serialize::InputArchive>& subnets);

  // Floating-point operations per coefficient position (2 per multiply-add),
  // all groups together.
  double flops_per_position() const;

 private:
  std::vector<torch::Tensor> forward_grouped(const torch::Tensor& x);
  std::vector<torch::Tensor> forward_separate(const torch::Tensor& x);

  // conv1..conv3 as (weight, bias), registered as `convK.weight`, `convK.bias`.
  std::array<torch::Tensor, 3> weights_, biases_;
  int64_t in_channels_, hidden_, out_channels_, groups_;
  SubnetExecution execution_;
};
TORCH_MODULE(CouplingSubnet);

}  // namespace stegolab::star_inn
