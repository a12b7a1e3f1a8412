#include "bench/transform_benchmark.hpp"

#include <algorithm>
#include <chrono>
#include <vector>

#include <torch/cuda.h>
#include <torch/torch.h>

#include "stegolab/errors.hpp"

namespace stegolab {

TransformBenchmark::TransformBenchmark(TransformBenchmarkOptions options)
    : options_(std::move(options)) {
  if (options_.repeats < 1) throw Error("benchmark: repeats must be at least 1");
  if (options_.warmup < 0) throw Error("benchmark: warm-up runs must be 0 or more");
}

// GPU work is asynchronous: without a sync the clock would stop at the launch.
void TransformBenchmark::synchronize() const {
  if (options_.device.is_cuda()) torch::cuda::synchronize(options_.device.index());
}

double TransformBenchmark::median_seconds(const std::function<void()>& run) const {
  for (int i = 0; i < options_.warmup; ++i) run();
  synchronize();
  std::vector<double> seconds;
  seconds.reserve(options_.repeats);
  for (int i = 0; i < options_.repeats; ++i) {
    const auto start = std::chrono::steady_clock::now();
    run();
    synchronize();
    seconds.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::nth_element(seconds.begin(), seconds.begin() + seconds.size() / 2, seconds.end());
  return seconds[seconds.size() / 2];
}

TransformTiming TransformBenchmark::measure(const Transform& transform, int64_t size,
                                            int64_t batch) const {
  torch::NoGradGuard no_grad;
  const torch::Tensor images = torch::randint(
      0, 256, {batch, options_.channels, size, size},
      torch::TensorOptions().dtype(torch::kFloat).device(options_.device));
  torch::Tensor sink;
  const double seconds = median_seconds([&] { sink = transform.inverse(transform.forward(images)); });
  TransformTiming timing;
  timing.seconds = seconds;
  timing.megapixels_per_second = static_cast<double>(batch * size * size) / seconds / 1e6;
  return timing;
}

BandwidthReference TransformBenchmark::measure_bandwidth(int64_t bytes) const {
  torch::NoGradGuard no_grad;
  const auto options = torch::TensorOptions().dtype(torch::kFloat).device(options_.device);
  const torch::Tensor source = torch::rand({bytes / 4}, options);
  torch::Tensor target = torch::empty_like(source);
  const double seconds = median_seconds([&] { target.copy_(source); });
  BandwidthReference reference;
  reference.bytes = source.numel() * 4;
  reference.gigabytes_per_second = 2.0 * static_cast<double>(reference.bytes) / seconds / 1e9;
  return reference;
}

}  // namespace stegolab
