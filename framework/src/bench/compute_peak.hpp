// Practical compute ceilings for the step benchmark, measured on the same
// device and threads: a large matrix product (BLAS; cuBLAS on a GPU) and a
// large 3x3 convolution (the convolution library, which is what the model's
// subnets run; a CPU LibTorch may link a slow reference BLAS but a fast
// convolution library, so the two can differ tenfold). The data type is the
// caller's: a GPU's bf16 tensor-core rate is many times its fp32 rate, and a
// bf16 training step is judged against the bf16 ceiling.
#pragma once

#include <cstdint>

#include <torch/types.h>

namespace stegolab {

struct ComputePeak {
  double flops = 0.0;         // of one timed operation
  double seconds = 0.0;       // median of the timed operations
  double gflops_per_s = 0.0;  // flops / seconds / 1e9
};

// n x n times n x n: 2 n^3 FLOPs. One warm-up, then `repeats` timed.
ComputePeak measure_matmul_peak(torch::Device device, int64_t size = 2048, int repeats = 5,
                                torch::ScalarType dtype = torch::kFloat);

// A 3x3 convolution of `channels` -> `channels` on one size x size image
// (padding 1): 2 * 9 * channels^2 * size^2 FLOPs.
ComputePeak measure_conv_peak(torch::Device device, int64_t channels = 256, int64_t size = 64,
                              int repeats = 5, torch::ScalarType dtype = torch::kFloat);

}  // namespace stegolab
