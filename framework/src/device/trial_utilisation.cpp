#include "device/trial_utilisation.hpp"

#include <exception>
#include <utility>

#include "device/cuda_backend.hpp"
#include "device/nvml_library.hpp"

namespace stegolab {

namespace {

UtilisationSampler::Read nvml_reader_for(torch::Device device, std::string* why) {
  // Loaded once per process and kept: nvmlInit is slow, and the answer does
  // not change while the process runs.
  static std::string open_error;
  static const std::shared_ptr<NvmlLibrary> library =
      NvmlLibrary::open(NvmlLibrary::kDefaultFile, &open_error);
  if (!library) {
    *why = "NVML (" + std::string(NvmlLibrary::kDefaultFile) + ") is not available: " + open_error;
    return {};
  }
  return library->reader(cuda_backend::pci_bus_id(cuda_backend::index_of(device)), why);
}

}  // namespace

TrialUtilisation::TrialUtilisation(ReaderFor reader_for, std::chrono::milliseconds period)
    : reader_for_(std::move(reader_for)), period_(period) {}

TrialUtilisation& TrialUtilisation::process() {
  static TrialUtilisation instance(nvml_reader_for);
  return instance;
}

void TrialUtilisation::begin(torch::Device device, std::ostream& notes) {
  std::lock_guard<std::mutex> lock(mutex_);
  sampler_.reset();
  if (!device.is_cuda()) return;
  std::string why;
  UtilisationSampler::Read read;
  try {
    read = reader_for_(device, &why);
  } catch (const std::exception& error) {
    // Sampling is an observation of the trial; it must never fail the trial.
    why = error.what();
  }
  if (!read) {
    if (!said_unavailable_) {
      notes << "GPU utilisation is not recorded: " << why << "\n";
      said_unavailable_ = true;
    }
    return;
  }
  sampler_ = std::make_unique<UtilisationSampler>(std::move(read), period_);
}

nlohmann::json TrialUtilisation::end() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!sampler_) return nlohmann::json::object();
  const UtilisationStatistics statistics = sampler_->stop();
  sampler_.reset();
  return statistics.extras();
}

}  // namespace stegolab
