// The one place where LibTorch's version differences are handled. Debian ships
// LibTorch 1.13; GPU machines use the LibTorch inside a PyTorch 2.x wheel.
// Everything else calls these wrappers, never the version-specific API.
#pragma once

#include <cstring>

#include <ATen/autocast_mode.h>
#include <c10/core/Allocator.h>
#include <c10/core/impl/LocalDispatchKeySet.h>
#include <torch/types.h>
#include <torch/version.h>

#define STEGOLAB_TORCH_AT_LEAST(major, minor) \
  (TORCH_VERSION_MAJOR > (major) ||           \
   (TORCH_VERSION_MAJOR == (major) && TORCH_VERSION_MINOR >= (minor)))

namespace stegolab::compat {

// Autocast (automatic mixed precision) for one device type, as an RAII scope:
// ops inside run in `dtype` where autocast allows it, as in Python's
// `torch.autocast(device_type, dtype)`.
class AutocastScope {
 public:
  AutocastScope(torch::DeviceType device, at::ScalarType dtype, bool enabled = true)
      : device_(device), enabled_(enabled) {
    if (!enabled_) return;
#if STEGOLAB_TORCH_AT_LEAST(2, 4)
    previous_enabled_ = at::autocast::is_autocast_enabled(device_);
    previous_dtype_ = at::autocast::get_autocast_dtype(device_);
    at::autocast::set_autocast_enabled(device_, true);
    at::autocast::set_autocast_dtype(device_, dtype);
#else
    if (device_ == torch::kCUDA) {
      previous_enabled_ = at::autocast::is_enabled();
      previous_dtype_ = at::autocast::get_autocast_gpu_dtype();
      at::autocast::set_enabled(true);
      at::autocast::set_autocast_gpu_dtype(dtype);
    } else {
      previous_enabled_ = at::autocast::is_cpu_enabled();
      previous_dtype_ = at::autocast::get_autocast_cpu_dtype();
      at::autocast::set_cpu_enabled(true);
      at::autocast::set_autocast_cpu_dtype(dtype);
    }
#endif
    at::autocast::increment_nesting();
  }

  ~AutocastScope() {
    if (!enabled_) return;
    // Leaving the outermost scope drops the cast-weight cache, as Python does.
    if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
#if STEGOLAB_TORCH_AT_LEAST(2, 4)
    at::autocast::set_autocast_enabled(device_, previous_enabled_);
    at::autocast::set_autocast_dtype(device_, previous_dtype_);
#else
    if (device_ == torch::kCUDA) {
      at::autocast::set_enabled(previous_enabled_);
      at::autocast::set_autocast_gpu_dtype(previous_dtype_);
    } else {
      at::autocast::set_cpu_enabled(previous_enabled_);
      at::autocast::set_autocast_cpu_dtype(previous_dtype_);
    }
#endif
  }

  AutocastScope(const AutocastScope&) = delete;
  AutocastScope& operator=(const AutocastScope&) = delete;

 private:
  torch::DeviceType device_;
  bool enabled_;
  bool previous_enabled_ = false;
  at::ScalarType previous_dtype_ = at::kFloat;
};

// Is autocast currently on for this device type?
inline bool autocast_enabled(torch::DeviceType device) {
#if STEGOLAB_TORCH_AT_LEAST(2, 4)
  return at::autocast::is_autocast_enabled(device);
#else
  return device == torch::kCUDA ? at::autocast::is_enabled() : at::autocast::is_cpu_enabled();
#endif
}

// The dtype autocast lowers to on this device type (when enabled).
inline at::ScalarType autocast_dtype(torch::DeviceType device) {
#if STEGOLAB_TORCH_AT_LEAST(2, 4)
  return at::autocast::get_autocast_dtype(device);
#else
  return device == torch::kCUDA ? at::autocast::get_autocast_gpu_dtype()
                                : at::autocast::get_autocast_cpu_dtype();
#endif
}

// Autocast switched off for the ops inside the scope, whatever the caller
// enabled: for computations whose result must not depend on the caller's
// precision (integer lifting, metrics). Uses a c10-internal guard, stable from
// 1.13 to 2.x, which is why it lives here.
class AutocastExcludedScope {
 public:
  AutocastExcludedScope() : guard_(c10::autocast_dispatch_keyset) {}
  AutocastExcludedScope(const AutocastExcludedScope&) = delete;
  AutocastExcludedScope& operator=(const AutocastExcludedScope&) = delete;

 private:
  c10::impl::ExcludeDispatchKeyGuard guard_;
};

// A base for host allocators installed with c10::SetCPUAllocator().
// c10::Allocator::allocate() is `const` in 1.13 and not in 2.x, where a pure
// virtual copy_data() was added as well. Both allocate() signatures are
// declared, without `override`: whichever the base class has is overridden,
// the other is an unused overload; copy_data() likewise. Implementations
// write allocate_bytes() only.
class HostAllocatorBase : public c10::Allocator {
 public:
  c10::DataPtr allocate(size_t bytes) const { return allocate_bytes(bytes); }  // NOLINT
  c10::DataPtr allocate(size_t bytes) { return allocate_bytes(bytes); }        // NOLINT
  void copy_data(void* destination, const void* source, std::size_t bytes) const {
    std::memcpy(destination, source, bytes);
  }

 protected:
  virtual c10::DataPtr allocate_bytes(size_t bytes) const = 0;
};

}  // namespace stegolab::compat

// --- CUDA caching-allocator statistics ---------------------------------------
// Only for translation units compiled against a LibTorch with CUDA (the build
// defines STEGOLAB_WITH_CUDA for them alone), since it needs the CUDA headers.
// getDeviceStats()/resetPeakStats() stayed in c10::cuda::CUDACachingAllocator
// from 1.13 to 2.x (taking an int device, later a c10::DeviceIndex); the
// DeviceStats they return and its StatType enum moved to
// c10/core/CachingDeviceAllocator.h (c10::CachingDeviceAllocator) during 2.x
// (the header appeared in late 2024), so the header's presence decides.
#if defined(STEGOLAB_WITH_CUDA)
#include <c10/cuda/CUDACachingAllocator.h>
#if __has_include(<c10/core/CachingDeviceAllocator.h>)
#include <c10/core/CachingDeviceAllocator.h>
#define STEGOLAB_CUDA_STAT_NAMESPACE c10::CachingDeviceAllocator
#else
#define STEGOLAB_CUDA_STAT_NAMESPACE c10::cuda::CUDACachingAllocator
#endif

namespace stegolab::compat {

struct CudaAllocatorPeaks {
  int64_t allocated_bytes = 0;  // held by tensors
  int64_t reserved_bytes = 0;   // held by the allocator (tensors + its cache)
};

// Peaks over all pools (small and large blocks) since the last reset.
inline CudaAllocatorPeaks cuda_allocator_peaks(c10::DeviceIndex device) {
  const auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(device);
  constexpr auto all_pools =
      static_cast<std::size_t>(STEGOLAB_CUDA_STAT_NAMESPACE::StatType::AGGREGATE);
  return {stats.allocated_bytes[all_pools].peak, stats.reserved_bytes[all_pools].peak};
}

// Peaks restart from the current values.
inline void reset_cuda_allocator_peaks(c10::DeviceIndex device) {
  c10::cuda::CUDACachingAllocator::resetPeakStats(device);
}

}  // namespace stegolab::compat

#undef STEGOLAB_CUDA_STAT_NAMESPACE
#endif  // STEGOLAB_WITH_CUDA
