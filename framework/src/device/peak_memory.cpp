#include "device/peak_memory.hpp"

#include <cmath>
#include <fstream>
#include <string>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "device/caching_host_allocator.hpp"
#include "device/cuda_backend.hpp"

namespace stegolab {

void reset_peak_memory(torch::Device device) {
  if (device.is_cuda()) {
    cuda_backend::reset_peak_allocated(cuda_backend::index_of(device));
    return;
  }
  // Memory freed by earlier work goes back to the kernel first, so that the
  // new peak is this work's own: blocks the host allocator cached, then what
  // glibc keeps in its heap.
  if (CachingHostAllocator::installed()) CachingHostAllocator::instance().release_cached();
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
  // "5" resets the peak RSS (VmHWM) to the current RSS (Linux >= 4.0).
  std::ofstream clear("/proc/self/clear_refs");
  if (clear) clear << "5";
}

double peak_memory_mb(torch::Device device) {
  if (device.is_cuda()) return cuda_backend::peak_allocated_mb(cuda_backend::index_of(device));
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) {
      return std::stod(line.substr(6)) / 1024.0;  // the kernel reports kB
    }
  }
  return NAN;
}

}  // namespace stegolab
