// Everything that needs LibTorch's CUDA headers, behind a CUDA-free
// interface. cuda_backend_cuda.cpp implements it when the LibTorch found at
// configure time has CUDA; cuda_backend_none.cpp otherwise, where no CUDA
// device can exist, so callers (which only call for CUDA devices) never reach
// it and it throws if they do.
#pragma once

#include <memory>
#include <string>

#include <torch/types.h>

#include "device/interval_clock.hpp"
#include "device/transfer_stream.hpp"

namespace stegolab::cuda_backend {

// Was this build compiled against a LibTorch with CUDA?
bool compiled_in();

// The device index of `device` (a CUDA device), the current device when it
// names none.
c10::DeviceIndex index_of(torch::Device device);

// The caching allocator's peak of allocated bytes: reset to what is allocated
// now, and read in MiB.
void reset_peak_allocated(c10::DeviceIndex device);
double peak_allocated_mb(c10::DeviceIndex device);

// Intervals timed by CUDA events on the current stream.
std::unique_ptr<IntervalClock> make_event_clock(c10::DeviceIndex device);

// A side stream from LibTorch's pool, with event-ordered hand-over.
std::unique_ptr<TransferStream> make_side_stream(c10::DeviceIndex device);

// "0000:41:00.0": how NVML finds the same device whatever
// CUDA_VISIBLE_DEVICES renumbered.
std::string pci_bus_id(c10::DeviceIndex device);

}  // namespace stegolab::cuda_backend
