// CachingHostAllocator: LibTorch's CPU allocator, keeping freed large blocks
// for reuse.
//
// LibTorch's default CPU allocator calls posix_memalign and free for every
// tensor. glibc serves large blocks with mmap and unmaps them on free, so a
// training step faults all of its large activations in afresh, page by page,
// every step. On a virtual machine those faults are slow: on the development
// machine a 3x3 convolution 128->128 on [8, 128, 112, 112] ran forward +
// backward in 2.8 s this way and 0.6 s with the pages kept (docs/performance.md).
// A training loop asks for the same sizes every step, so blocks of at least
// kMinimumCachedBytes are cached by size, like CUDA's caching allocator does
// for device memory; smaller ones are allocated and freed as LibTorch's
// default allocator does (glibc serves them from its heap already).
#pragma once

#include <cstddef>
#include <map>
#include <mutex>
#include <unordered_map>

#include "stegolab/torch_compat.hpp"

namespace stegolab {

class CachingHostAllocator final : public compat::HostAllocatorBase {
 public:
  static constexpr std::size_t kMinimumCachedBytes = std::size_t{1} << 20;

  // The process's one instance (never destroyed: tensors may be freed at exit).
  static CachingHostAllocator& instance();
  // Makes it LibTorch's CPU allocator; later calls do nothing.
  static void install();
  static bool installed();

  // Frees every cached block (before measuring a peak RSS, say).
  void release_cached();
  // Bytes held in the cache, and in blocks handed out, of cached sizes.
  std::size_t cached_bytes() const;
  std::size_t in_use_bytes() const;

  // The raw interface (oneDNN's scratch buffers use it) needs the context to
  // be the data pointer itself and one deleter for every block.
  c10::DeleterFnPtr raw_deleter() const override { return &CachingHostAllocator::release; }

 private:
  CachingHostAllocator();
  c10::DataPtr allocate_bytes(std::size_t bytes) const override;
  static void release(void* data);
  void take_back(void* data);

  mutable std::mutex mutex_;
  mutable std::unordered_map<void*, std::size_t> in_use_;  // cached-size blocks handed out
  mutable std::multimap<std::size_t, void*> free_blocks_;  // size -> idle block
  mutable std::size_t cached_bytes_ = 0;
  mutable std::size_t in_use_bytes_ = 0;
  mutable std::size_t peak_in_use_bytes_ = 0;
};

}  // namespace stegolab
