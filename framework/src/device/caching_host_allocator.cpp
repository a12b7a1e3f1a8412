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

struct CachedBlock {
  void* data;
  std::size_t bytes;
};

std::atomic<bool> g_installed{false};

}  // namespace

CachingHostAllocator::CachingHostAllocator() : fallback_(c10::GetDefaultCPUAllocator()) {}

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
  if (bytes < kMinimumCachedBytes) return fallback_->allocate(bytes);
  const std::size_t rounded = (bytes + kGranule - 1) / kGranule * kGranule;
  CachedBlock* block = nullptr;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto found = free_blocks_.find(rounded);
    if (found != free_blocks_.end()) {
      block = static_cast<CachedBlock*>(found->second);
      free_blocks_.erase(found);
      cached_bytes_ -= rounded;
    }
    in_use_bytes_ += rounded;
    peak_in_use_bytes_ = std::max(peak_in_use_bytes_, in_use_bytes_);
  }
  if (block == nullptr) {
    void* data = nullptr;
    if (posix_memalign(&data, kAlignment, rounded) != 0) {
      // Cached blocks of other sizes may be what stands in the way.
      const_cast<CachingHostAllocator*>(this)->release_cached();
      if (posix_memalign(&data, kAlignment, rounded) != 0) {
        std::lock_guard<std::mutex> lock(mutex_);
        in_use_bytes_ -= rounded;
        TORCH_CHECK_WITH(OutOfMemoryError, false, "host allocator: out of memory allocating ",
                         rounded, " bytes");
      }
    }
    block = new CachedBlock{data, rounded};
  }
  return {block->data, block, &CachingHostAllocator::release_block,
          c10::Device(c10::DeviceType::CPU)};
}

void CachingHostAllocator::release_block(void* context) { instance().take_back(context); }

void CachingHostAllocator::take_back(void* context) {
  auto* block = static_cast<CachedBlock*>(context);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    in_use_bytes_ -= block->bytes;
    // Never hold more idle memory than the process once used at a time.
    if (cached_bytes_ + block->bytes <= peak_in_use_bytes_) {
      free_blocks_.emplace(block->bytes, block);
      cached_bytes_ += block->bytes;
      return;
    }
  }
  std::free(block->data);
  delete block;
}

void CachingHostAllocator::release_cached() {
  std::multimap<std::size_t, void*> blocks;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    blocks.swap(free_blocks_);
    cached_bytes_ = 0;
  }
  for (auto& [bytes, context] : blocks) {
    auto* block = static_cast<CachedBlock*>(context);
    std::free(block->data);
    delete block;
  }
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
