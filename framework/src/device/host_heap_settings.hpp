// The C library heap's settings for a training process.
//
// Blocks of 1 MiB and more are kept by CachingHostAllocator. Smaller tensors
// (at 64x64 a [4, 64, 32, 32] bf16 activation is 512 KiB) come from glibc's
// heap, which by default serves blocks above a moving threshold with mmap and
// returns the top of the heap to the system whenever 128 KiB are free there:
// each training step then faults those pages in again. Measured on the
// development machine (docs/performance.md, "the C heap"), star_inn 64x64
// bf16 took 907-1465 page faults per step this way, and how many depended on
// unrelated changes in the heap's layout (a 6 % step-time swing between two
// builds of the same step).
#pragma once

namespace stegolab {

// Fixes glibc's mmap threshold at the caching allocator's 1 MiB and keeps up
// to 256 MiB free at the heap's top, so the same small tensors reuse the same
// pages every step. Does nothing where the user set any MALLOC_*_ variable
// of glibc (theirs wins) or on a C library without mallopt.
void apply_host_heap_settings();

}  // namespace stegolab
