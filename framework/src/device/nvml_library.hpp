// NVIDIA's management library (NVML), loaded at run time with dlopen: the
// build needs neither its headers nor the driver, and a machine without an
// NVIDIA driver runs everything else unchanged.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "device/gpu_reading.hpp"

namespace stegolab {

class NvmlLibrary : public std::enable_shared_from_this<NvmlLibrary> {
 public:
  using Reader = std::function<std::optional<GpuReading>()>;

  // The driver's library, as every NVIDIA driver installs it.
  static constexpr const char* kDefaultFile = "libnvidia-ml.so.1";

  // Loads `file` and initialises NVML. nullptr, with the reason in *why, when
  // the file cannot be loaded, lacks a function used here, or NVML refuses
  // to initialise (e.g. no driver).
  static std::shared_ptr<NvmlLibrary> open(const std::string& file, std::string* why);

  ~NvmlLibrary();
  NvmlLibrary(const NvmlLibrary&) = delete;
  NvmlLibrary& operator=(const NvmlLibrary&) = delete;

  // A reader for one device, found by its PCI bus id ("0000:41:00.0"), which
  // names the same device as CUDA whatever CUDA_VISIBLE_DEVICES renumbered.
  // An empty function, with the reason in *why, when NVML does not know the
  // device. The reader keeps the library loaded, and yields nothing when a
  // query fails.
  Reader reader(const std::string& pci_bus_id, std::string* why);

 private:
  struct Api;
  NvmlLibrary(void* handle, std::unique_ptr<Api> api);

  void* handle_;
  std::unique_ptr<Api> api_;
};

}  // namespace stegolab
