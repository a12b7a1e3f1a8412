// Peak memory of a piece of work (a trial, a benchmark, a batch-size probe):
// the process's peak RSS on the CPU, the caching allocator's peak of
// allocated bytes on CUDA. Both are process-wide counters, so one
// measurement runs at a time.
#pragma once

#include <torch/types.h>

namespace stegolab {

// Starts a new peak measurement for `device`. CPU: returns cached and freed
// heap memory to the kernel, then resets the kernel's VmHWM through
// /proc/self/clear_refs. CUDA: resets the allocator's peak statistics
// to what is allocated now.
void reset_peak_memory(torch::Device device);

// Peak since the last reset in MiB; NaN where it cannot be measured (no
// /proc).
double peak_memory_mb(torch::Device device);

}  // namespace stegolab
