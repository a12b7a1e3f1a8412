#include "device/nvml_library.hpp"

#include <dlfcn.h>

namespace stegolab {

namespace {

// The few NVML types used, with the layout of nvml.h (stable since NVML's
// first versions; the _v2 entry points are the ones nvml.h maps to today).
using NvmlReturn = int;
constexpr NvmlReturn kNvmlSuccess = 0;
using NvmlDevice = struct NvmlDeviceOpaque*;
struct NvmlUtilization {
  unsigned int gpu;
  unsigned int memory;
};
struct NvmlMemory {
  unsigned long long total;
  unsigned long long free;
  unsigned long long used;
};

constexpr double kMiB = 1024.0 * 1024.0;

}  // namespace

struct NvmlLibrary::Api {
  NvmlReturn (*init)();
  NvmlReturn (*shutdown)();
  const char* (*error_string)(NvmlReturn);
  NvmlReturn (*device_by_pci_bus_id)(const char*, NvmlDevice*);
  NvmlReturn (*utilization)(NvmlDevice, NvmlUtilization*);
  NvmlReturn (*memory)(NvmlDevice, NvmlMemory*);

  std::string describe(NvmlReturn code) const {
    const char* text = error_string != nullptr ? error_string(code) : nullptr;
    return text != nullptr ? text : "NVML error " + std::to_string(code);
  }
};

std::shared_ptr<NvmlLibrary> NvmlLibrary::open(const std::string& file, std::string* why) {
  void* handle = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* error = dlerror();
    if (why != nullptr) *why = error != nullptr ? error : "cannot load " + file;
    return nullptr;
  }
  auto api = std::make_unique<Api>();
  std::string missing;
  auto bind = [&](auto& function, const char* name) {
    function = reinterpret_cast<std::remove_reference_t<decltype(function)>>(dlsym(handle, name));
    if (function == nullptr) missing += (missing.empty() ? "" : ", ") + std::string(name);
  };
  bind(api->init, "nvmlInit_v2");
  bind(api->shutdown, "nvmlShutdown");
  bind(api->error_string, "nvmlErrorString");
  bind(api->device_by_pci_bus_id, "nvmlDeviceGetHandleByPciBusId_v2");
  bind(api->utilization, "nvmlDeviceGetUtilizationRates");
  bind(api->memory, "nvmlDeviceGetMemoryInfo");
  if (!missing.empty()) {
    if (why != nullptr) *why = file + " lacks " + missing;
    dlclose(handle);
    return nullptr;
  }
  const NvmlReturn status = api->init();
  if (status != kNvmlSuccess) {
    if (why != nullptr) *why = "nvmlInit failed: " + api->describe(status);
    dlclose(handle);
    return nullptr;
  }
  return std::shared_ptr<NvmlLibrary>(new NvmlLibrary(handle, std::move(api)));
}

NvmlLibrary::NvmlLibrary(void* handle, std::unique_ptr<Api> api)
    : handle_(handle), api_(std::move(api)) {}

NvmlLibrary::~NvmlLibrary() {
  api_->shutdown();
  dlclose(handle_);
}

NvmlLibrary::Reader NvmlLibrary::reader(const std::string& pci_bus_id, std::string* why) {
  NvmlDevice device = nullptr;
  const NvmlReturn status = api_->device_by_pci_bus_id(pci_bus_id.c_str(), &device);
  if (status != kNvmlSuccess) {
    if (why != nullptr)
      *why = "NVML does not know the device at PCI " + pci_bus_id + ": " + api_->describe(status);
    return {};
  }
  return [library = shared_from_this(), device]() -> std::optional<GpuReading> {
    NvmlUtilization utilization{};
    NvmlMemory memory{};
    if (library->api_->utilization(device, &utilization) != kNvmlSuccess ||
        library->api_->memory(device, &memory) != kNvmlSuccess) {
      return std::nullopt;
    }
    return GpuReading{static_cast<double>(utilization.gpu), static_cast<double>(utilization.memory),
                      static_cast<double>(memory.used) / kMiB};
  };
}

}  // namespace stegolab
