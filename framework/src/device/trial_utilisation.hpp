// GPU utilisation over one trial: sampled from the trial's start to its
// throughput record, for the "gpu_util_*" extras. Like the peak memory
// counters it is process-wide (trials run one at a time), which is why the
// trainer reaches it through process() rather than owning one.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <ostream>
#include <string>

#include <torch/types.h>
#include <nlohmann/json.hpp>

#include "device/utilisation_sampler.hpp"

namespace stegolab {

class TrialUtilisation {
 public:
  // A reading function for a CUDA device, or an empty one with the reason in
  // *why when the device cannot be sampled.
  using ReaderFor = std::function<UtilisationSampler::Read(torch::Device, std::string* why)>;

  static constexpr std::chrono::milliseconds kDefaultPeriod{100};

  explicit TrialUtilisation(ReaderFor reader_for,
                            std::chrono::milliseconds period = kDefaultPeriod);

  // The instance the trainer uses: NVML through NvmlLibrary.
  static TrialUtilisation& process();

  // Starts sampling `device` (ending any window still open). Nothing for a
  // CPU device. When a CUDA device cannot be sampled it says why on `notes`,
  // once per instance, and records nothing.
  void begin(torch::Device device, std::ostream& notes);

  // Ends the window: UtilisationStatistics::extras(), empty when nothing was
  // sampled or no window is open.
  nlohmann::json end();

 private:
  ReaderFor reader_for_;
  std::chrono::milliseconds period_;
  std::mutex mutex_;
  std::unique_ptr<UtilisationSampler> sampler_;
  bool said_unavailable_ = false;
};

}  // namespace stegolab
