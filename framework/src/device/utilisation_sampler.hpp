// Samples a GPU's activity on a background thread at a fixed period, from
// start until stop(), and aggregates the readings.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

#include "device/gpu_reading.hpp"
#include "device/utilisation_statistics.hpp"

namespace stegolab {

class UtilisationSampler {
 public:
  // Yields one reading, or nothing when the query failed (that sample is
  // skipped). Called only from the sampling thread.
  using Read = std::function<std::optional<GpuReading>()>;

  // Starts sampling at once, then every `period`.
  UtilisationSampler(Read read, std::chrono::milliseconds period);
  ~UtilisationSampler();  // stops, discarding the statistics
  UtilisationSampler(const UtilisationSampler&) = delete;
  UtilisationSampler& operator=(const UtilisationSampler&) = delete;

  // Stops sampling (waiting for a read in progress) and returns what was
  // gathered. Later calls return the same.
  UtilisationStatistics stop();

 private:
  void run();

  Read read_;
  std::chrono::milliseconds period_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  UtilisationStatistics statistics_;
  std::thread thread_;  // last: starts after everything it uses exists
};

}  // namespace stegolab
