#include "device/caching_host_allocator.hpp"

#include <atomic>
#include <cstdlib>
#include <string>

#include <c10/core/CPUAllocator.h>
#include <c10/util/Exception.h>

namespace stegolab {

namespace {

// Sizes are rounded up to this, so that nearly equal requests (a different
// last batch, say) share blocks.
constexpr std::size_t kGranule = std::size_t{64} << 10;
// LibTorch's own CPU alignment (vectorised kernels rely on it).
constexpr std::size_t kAlignment = 64;

std::atomic<bool> g_installed{false};

void* aligned_block(std::size_t bytes) {
  void* data = nullptr;
  return posix_memalign(&data, kAlignment, bytes) == 0 ? data : nullptr;
}

}  // namespace

CachingHostAllocator::CachingHostAllocator() = default;

CachingHostAllocator& CachingHostAllocator::instance() {
  static auto* allocator = new CachingHostAllocator();  // never destroyed, see the header
  return *allocator;
}

void CachingHostAllocator::install() {
  if (g_installed.exchange(true)) return;
  c10::SetCPUAllocator(&instance());
}

bool CachingHostAllocator::installed() { return g_installed.load(); }

c10::DataPtr CachingHostAllocator::allocate_bytes(std::size_t bytes) const {
  const c10::Device cpu(c10::DeviceType::CPU);
  if (bytes == 0) return {nullptr, nullptr, &CachingHostAllocator::release, cpu};
  if (bytes < kMinimumCachedBytes) {
    void* data = aligned_block(bytes);
    TORCH_CHECK_WITH(OutOfMemoryError, data != nullptr, "host allocator: out of memory allocating ",
                     bytes, " bytes");
    return {data, data, &CachingHostAllocator::release, cpu};
  }
  const std::size_t rounded = (bytes + kGranule - 1) / kGranule * kGranule;
  void* data = nullptr;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto found = free_blocks_.find(rounded);
    if (found != free_blocks_.end()) {
      data = found->second;
      free_blocks_.erase(found);
      cached_bytes_ -= rounded;
    }
  }
  if (data == nullptr) data = aligned_block(rounded);
  if (data == nullptr) {
    // Cached blocks of other sizes may be what stands in the way.
    const_cast<CachingHostAllocator*>(this)->release_cached();
    data = aligned_block(rounded);
  }
  TORCH_CHECK_WITH(OutOfMemoryError, data != nullptr, "host allocator: out of memory allocating ",
                   rounded, " bytes");
  {
    std::lock_guard<std::mutex> lock(mutex_);
    in_use_.emplace(data, rounded);
    in_use_bytes_ += rounded;
    peak_in_use_bytes_ = std::max(peak_in_use_bytes_, in_use_bytes_);
  }
  return {data, data, &CachingHostAllocator::release, cpu};
}

void CachingHostAllocator::release(void* data) {
  if (data != nullptr) instance().take_back(data);
}

void CachingHostAllocator::take_back(void* data) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto found = in_use_.find(data);
    if (found != in_use_.end()) {
      const std::size_t bytes = found->second;
      in_use_.erase(found);
      in_use_bytes_ -= bytes;
      // Never hold more idle memory than the process once used at a time.
      if (cached_bytes_ + bytes <= peak_in_use_bytes_) {
        free_blocks_.emplace(bytes, data);
        cached_bytes_ += bytes;
        return;
      }
    }
  }
  std::free(data);  // a small block, or one the cache has no room for
}

void CachingHostAllocator::release_cached() {
  std::multimap<std::size_t, void*> blocks;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    blocks.swap(free_blocks_);
    cached_bytes_ = 0;
  }
  for (auto& [bytes, data] : blocks) std::free(data);
}

std::size_t CachingHostAllocator::cached_bytes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return cached_bytes_;
}

std::size_t CachingHostAllocator::in_use_bytes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return in_use_bytes_;
}

}  // namespace stegolab
