// Mean and maximum of a trial's GPU readings, in the form the throughput
// record stores them.
#pragma once

#include <cstdint>

#include <nlohmann/json.hpp>

#include "device/gpu_reading.hpp"

namespace stegolab {

class UtilisationStatistics {
 public:
  void add(const GpuReading& reading);

  int64_t samples() const { return samples_; }
  double mean_gpu_percent() const;  // NaN without samples, like the other means
  double max_gpu_percent() const { return max_.gpu_percent; }
  double mean_memory_busy_percent() const;
  double max_memory_busy_percent() const { return max_.memory_busy_percent; }
  double max_memory_used_mb() const { return max_.memory_used_mb; }

  // gpu_util_mean, gpu_util_max, gpu_mem_busy_mean, gpu_mem_busy_max (percent),
  // gpu_mem_used_max_mb, gpu_util_samples; an empty object without samples.
  nlohmann::json extras() const;

 private:
  int64_t samples_ = 0;
  GpuReading sum_;
  GpuReading max_;
};

}  // namespace stegolab
