#include "device/host_heap_settings.hpp"

#include "device/caching_host_allocator.hpp"

#include <cstdlib>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace stegolab {

void apply_host_heap_settings() {
#if defined(__GLIBC__)
  for (const char* variable : {"MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_",
                               "MALLOC_TOP_PAD_", "GLIBC_TUNABLES"}) {
    if (std::getenv(variable) != nullptr) return;
  }
  constexpr int kMiB = 1 << 20;
  // Blocks the caching allocator keeps are mapped once and reused; below its
  // limit the heap serves them. (Setting any of these makes glibc stop moving
  // the threshold, so it must be set too.)
  mallopt(M_MMAP_THRESHOLD, static_cast<int>(CachingHostAllocator::kMinimumCachedBytes));
  mallopt(M_TRIM_THRESHOLD, 256 * kMiB);
  mallopt(M_TOP_PAD, 64 * kMiB);
#endif
}

}  // namespace stegolab
