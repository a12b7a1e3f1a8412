// Peak memory of a trial: the process's peak RSS on the CPU.
#pragma once

#include <torch/types.h>

namespace stegolab {

// Starts a new peak measurement for `device` (CPU: resets the kernel's
// VmHWM through /proc/self/clear_refs).
void reset_peak_memory(torch::Device device);

// Peak since the last reset in MiB; NaN where it cannot be measured (no
// /proc, or a CUDA device until the compat header offers the allocator's
// peak statistics).
double peak_memory_mb(torch::Device device);

}  // namespace stegolab
