// Platform-independent seeded permutations and seed derivation.
#pragma once

#include <cstdint>

#include <torch/types.h>

#include "stegolab/export.hpp"

namespace stegolab {

// splitmix64 of `seed` combined with `stream`: independent seeds for the
// split, each epoch's pairing, ... from one trial seed.
STEGOLAB_VISIBLE uint64_t derive_seed(uint64_t seed, uint64_t stream);

// A permutation of `values` (int64, 1-D, CPU) by Fisher-Yates driven by
// std::mt19937_64, whose output the C++ standard fixes, so a seed means the
// same permutation everywhere. O(n) host work: call it per epoch, not per step.
STEGOLAB_VISIBLE torch::Tensor seeded_permutation(const torch::Tensor& values, uint64_t seed);

}  // namespace stegolab
