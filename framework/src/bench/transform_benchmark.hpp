// TransformBenchmark: throughput of a transform's forward + inverse round
// trip, and a memory-bandwidth reference measured the same way, so the
// numbers can be read against the machine's bound.
#pragma once

#include <cstdint>
#include <functional>

#include <torch/types.h>

#include "stegolab/transform.hpp"

namespace stegolab {

struct TransformBenchmarkOptions {
  torch::Device device = torch::kCPU;
  int64_t channels = 3;
  int repeats = 5;  // timed runs; the median is reported
  int warmup = 1;   // untimed runs first (allocator, thread pool, kernel caches)
};

struct TransformTiming {
  double seconds = 0;                // median forward + inverse of one batch
  double megapixels_per_second = 0;  // batch * size^2 / seconds / 1e6
};

struct BandwidthReference {
  int64_t bytes = 0;                // size of the copied tensor
  double gigabytes_per_second = 0;  // (read + write) bytes / median seconds / 1e9
};

class TransformBenchmark {
 public:
  explicit TransformBenchmark(TransformBenchmarkOptions options);

  // Round trip of `batch` square fp32 images of `size` pixels per side holding
  // 8-bit values (0..255), so integer transforms see the input they are made for.
  TransformTiming measure(const Transform& transform, int64_t size, int64_t batch) const;
  // A plain tensor copy of `bytes` bytes: the bandwidth any memory-bound
  // transform is limited by.
  BandwidthReference measure_bandwidth(int64_t bytes) const;

  // Bytes a round trip must move per pixel at least: forward reads the image
  // and writes the coefficients, inverse reads them and writes the image
  // (4 passes of channels * 4 bytes).
  int64_t minimum_bytes_per_pixel() const { return 4 * options_.channels * 4; }

 private:
  // Median time of `run` over the configured repeats, after warm-up, by the
  // device's step timer (CUDA events on a GPU).
  double median_seconds(const std::function<void()>& run) const;
  TransformBenchmarkOptions options_;
};

}  // namespace stegolab
