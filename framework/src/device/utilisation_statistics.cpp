#include "device/utilisation_statistics.hpp"

#include <algorithm>
#include <cmath>

namespace stegolab {

void UtilisationStatistics::add(const GpuReading& reading) {
  ++samples_;
  sum_.gpu_percent += reading.gpu_percent;
  sum_.memory_busy_percent += reading.memory_busy_percent;
  sum_.memory_used_mb += reading.memory_used_mb;
  max_.gpu_percent = std::max(max_.gpu_percent, reading.gpu_percent);
  max_.memory_busy_percent = std::max(max_.memory_busy_percent, reading.memory_busy_percent);
  max_.memory_used_mb = std::max(max_.memory_used_mb, reading.memory_used_mb);
}

double UtilisationStatistics::mean_gpu_percent() const {
  return samples_ > 0 ? sum_.gpu_percent / static_cast<double>(samples_) : NAN;
}

double UtilisationStatistics::mean_memory_busy_percent() const {
  return samples_ > 0 ? sum_.memory_busy_percent / static_cast<double>(samples_) : NAN;
}

nlohmann::json UtilisationStatistics::extras() const {
  nlohmann::json extras = nlohmann::json::object();
  if (samples_ == 0) return extras;
  extras["gpu_util_mean"] = mean_gpu_percent();
  extras["gpu_util_max"] = max_gpu_percent();
  extras["gpu_mem_busy_mean"] = mean_memory_busy_percent();
  extras["gpu_mem_busy_max"] = max_memory_busy_percent();
  extras["gpu_mem_used_max_mb"] = max_memory_used_mb();
  extras["gpu_util_samples"] = samples_;
  return extras;
}

}  // namespace stegolab
