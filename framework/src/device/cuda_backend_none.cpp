// cuda_backend.hpp for a LibTorch without CUDA. No CUDA device exists in such
// a build (torch::cuda::is_available() is false, so no trial or benchmark
// runs on one); reaching these functions is a programming error.
#include "device/cuda_backend.hpp"

#include "stegolab/errors.hpp"

namespace stegolab::cuda_backend {

namespace {

[[noreturn]] void unavailable(const char* what) {
  throw Error(std::string(what) + ": this stegolab was built against a LibTorch without CUDA");
}

}  // namespace

bool compiled_in() { return false; }

c10::DeviceIndex index_of(torch::Device) { unavailable("CUDA device index"); }

void reset_peak_allocated(c10::DeviceIndex) { unavailable("CUDA peak memory"); }

double peak_allocated_mb(c10::DeviceIndex) { unavailable("CUDA peak memory"); }

std::unique_ptr<IntervalClock> make_event_clock(c10::DeviceIndex) {
  unavailable("CUDA event timing");
}

std::unique_ptr<TransferStream> make_side_stream(c10::DeviceIndex) {
  unavailable("CUDA side stream");
}

std::string pci_bus_id(c10::DeviceIndex) { unavailable("CUDA PCI bus id"); }

}  // namespace stegolab::cuda_backend
