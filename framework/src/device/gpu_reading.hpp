// One sample of a GPU's activity, as NVML reports it.
#pragma once

namespace stegolab {

struct GpuReading {
  double gpu_percent = 0.0;          // time a kernel was running over the last sample period
  double memory_busy_percent = 0.0;  // time device memory was being read or written
  double memory_used_mb = 0.0;       // device memory in use by all processes, MiB
};

}  // namespace stegolab
