// A practical compute ceiling for the step benchmark: the GFLOP/s of a large
// fp32 matrix product on the same device and threads.
#pragma once

#include <cstdint>

#include <torch/types.h>

namespace stegolab {

struct MatmulPeak {
  int64_t size = 0;           // n of the n x n x n product
  double seconds = 0.0;       // median of the timed products
  double gflops_per_s = 0.0;  // 2 n^3 / seconds / 1e9
};

// Times `repeats` products (after one warm-up) of two n x n fp32 matrices.
MatmulPeak measure_matmul_peak(torch::Device device, int64_t size = 2048, int repeats = 5);

}  // namespace stegolab
