// The SDK's help for attack plugins: the straight-through node and the
// seeded draws that make an evaluation repeat on every device.
#include "stegolab/attack.hpp"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

namespace stegolab {

namespace {

// Its own autograd node, so that the forward value is exactly `received`
// (x + (y - x).detach() would round again in the sum).
struct StraightThroughReceived : torch::autograd::Function<StraightThroughReceived> {
  static torch::Tensor forward(torch::autograd::AutogradContext* /*context*/,
                               const torch::Tensor& image, const torch::Tensor& received) {
    return received.to(image.scalar_type()).clone();
  }
  static torch::autograd::tensor_list backward(torch::autograd::AutogradContext* /*context*/,
                                               torch::autograd::tensor_list grad) {
    return {grad[0], torch::Tensor()};
  }
};

}  // namespace

torch::Tensor straight_through(const torch::Tensor& image, const torch::Tensor& received) {
  if (!image.requires_grad() || !torch::GradMode::is_enabled()) {
    return received.to(image.scalar_type());
  }
  return StraightThroughReceived::apply(image, received.detach());
}

torch::Tensor attack_random(c10::IntArrayRef sizes, torch::Device device, AttackMode mode,
                            uint64_t seed, bool normal) {
  const auto options = torch::TensorOptions().dtype(torch::kFloat32);
  if (mode == AttackMode::training) {
    return normal ? torch::randn(sizes, options.device(device))
                  : torch::rand(sizes, options.device(device));
  }
  at::Generator generator = at::detail::createCPUGenerator(seed);
  const torch::Tensor draws =
      normal ? torch::randn(sizes, generator, options) : torch::rand(sizes, generator, options);
  return draws.to(device);
}

}  // namespace stegolab
