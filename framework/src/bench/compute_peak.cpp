#include "bench/compute_peak.hpp"

#include <functional>
#include <vector>

#include <torch/torch.h>

#include "bench/step_benchmark.hpp"
#include "device/step_timer.hpp"

namespace stegolab {

namespace {

ComputePeak time_operation(torch::Device device, double flops, int repeats,
                           const std::function<void()>& operation) {
  torch::NoGradGuard no_grad;
  StepTimer warmup(device);
  warmup.begin();
  operation();  // first call: library selection, workspace allocation
  warmup.end();
  warmup.seconds();
  StepTimer timer(device);
  for (int i = 0; i < repeats; ++i) {
    timer.begin();
    operation();
    timer.end();
  }
  ComputePeak peak;
  peak.flops = flops;
  peak.seconds = quantile(timer.seconds(), 0.5);
  peak.gflops_per_s = flops / peak.seconds / 1e9;
  return peak;
}

}  // namespace

ComputePeak measure_matmul_peak(torch::Device device, int64_t size, int repeats,
                                torch::ScalarType dtype) {
  const auto options = torch::TensorOptions().dtype(dtype).device(device);
  const torch::Tensor a = torch::randn({size, size}, options);
  const torch::Tensor b = torch::randn({size, size}, options);
  torch::Tensor c = torch::empty({size, size}, options);
  const double n = static_cast<double>(size);
  return time_operation(device, 2.0 * n * n * n, repeats, [&] { torch::mm_out(c, a, b); });
}

ComputePeak measure_conv_peak(torch::Device device, int64_t channels, int64_t size, int repeats,
                              torch::ScalarType dtype) {
  const auto options = torch::TensorOptions().dtype(dtype).device(device);
  const torch::Tensor input = torch::randn({1, channels, size, size}, options);
  const torch::Tensor weight = torch::randn({channels, channels, 3, 3}, options);
  const double c = static_cast<double>(channels);
  const double positions = static_cast<double>(size * size);
  return time_operation(device, 2.0 * 9.0 * c * c * positions, repeats,
                        [&] { torch::conv2d(input, weight, {}, 1, 1); });
}

}  // namespace stegolab
