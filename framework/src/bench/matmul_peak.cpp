#include "bench/matmul_peak.hpp"

#include <chrono>
#include <vector>

#include <torch/cuda.h>
#include <torch/torch.h>

#include "bench/step_benchmark.hpp"

namespace stegolab {

MatmulPeak measure_matmul_peak(torch::Device device, int64_t size, int repeats) {
  const auto options = torch::TensorOptions().dtype(torch::kFloat).device(device);
  const torch::Tensor a = torch::randn({size, size}, options);
  const torch::Tensor b = torch::randn({size, size}, options);
  torch::Tensor c = torch::empty({size, size}, options);
  auto sync = [&] {
    if (device.is_cuda()) torch::cuda::synchronize(device.index() < 0 ? -1 : device.index());
  };
  torch::mm_out(c, a, b);
  sync();
  std::vector<double> seconds;
  for (int i = 0; i < repeats; ++i) {
    const auto begin = std::chrono::steady_clock::now();
    torch::mm_out(c, a, b);
    sync();
    seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count());
  }
  MatmulPeak peak;
  peak.size = size;
  peak.seconds = quantile(seconds, 0.5);
  const double n = static_cast<double>(size);
  peak.gflops_per_s = 2.0 * n * n * n / peak.seconds / 1e9;
  return peak;
}

}  // namespace stegolab
