#include "bench/transform_benchmark.hpp"

#include <algorithm>
#include <vector>

#include <torch/torch.h>

#include "device/step_timer.hpp"
#include "stegolab/errors.hpp"

namespace stegolab {

TransformBenchmark::TransformBenchmark(TransformBenchmarkOptions options)
    : options_(std::move(options)) {
  if (options_.repeats < 1) throw Error("benchmark: repeats must be at least 1");
  if (options_.warmup < 0) throw Error("benchmark: warm-up runs must be 0 or more");
}

double TransformBenchmark::median_seconds(const std::function<void()>& run) const {
  for (int i = 0; i < options_.warmup; ++i) run();
  StepTimer timer(options_.device);
  for (int i = 0; i < options_.repeats; ++i) {
    timer.begin();
    run();
    timer.end();
  }
  std::vector<double> seconds = timer.seconds();
  std::nth_element(seconds.begin(), seconds.begin() + seconds.size() / 2, seconds.end());
  return seconds[seconds.size() / 2];
}

TransformTiming TransformBenchmark::measure(const Transform& transform, int64_t size,
                                            int64_t batch) const {
  torch::NoGradGuard no_grad;
  const torch::Tensor images =
      torch::randint(0, 256, {batch, options_.channels, size, size},
                     torch::TensorOptions().dtype(torch::kFloat).device(options_.device));
  torch::Tensor sink;
  const double seconds =
      median_seconds([&] { sink = transform.inverse(transform.forward(images)); });
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
