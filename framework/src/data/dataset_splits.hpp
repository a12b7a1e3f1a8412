// Train / validation / test split of an image source's indices.
#pragma once

#include <cstdint>

#include <torch/types.h>

#include "spec/trial_spec.hpp"

namespace stegolab {

// Disjoint index sets into an ImageSource, int64 tensors on the CPU.
struct DatasetSplits {
  torch::Tensor train;
  torch::Tensor val;
  torch::Tensor test;
};

// A seeded permutation of [0, size) cut into consecutive train / val / test
// ranges. Counts: train = round(size * train), val = round(size * val), test
// = the rest when the fractions add up to 1, else round(size * test). The
// same (size, fractions, seed) always gives the same splits, on every
// platform and LibTorch version (the permutation comes from std::mt19937_64).
// Throws stegolab::Error naming `data.split` when a fraction is out of range
// or a non-empty split would hold fewer than two images (pairing needs two).
DatasetSplits make_dataset_splits(int64_t size, const DataSplit& fractions, uint64_t seed);

}  // namespace stegolab
