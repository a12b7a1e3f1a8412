// Cover/secret pairing of a split's images.
#pragma once

#include <cstdint>

#include <torch/types.h>

namespace stegolab::steganography {

// Parallel lists of image indices (int64, 1-D, CPU, same length): pair i hides
// image secrets[i] in image covers[i].
struct ImagePairs {
  torch::Tensor covers;
  torch::Tensor secrets;
  int64_t size() const { return covers.defined() ? covers.size(0) : 0; }
};

// Fixed pairs for evaluation: covers in the given order, secrets the same list
// cyclically shifted by one, so no image is its own secret (indices distinct,
// at least two).
ImagePairs fixed_pairs(const torch::Tensor& indices);

// Training pairs for one epoch: a fresh permutation of `indices` seeded by
// (seed, epoch), paired as in fixed_pairs(). When `count` exceeds the split,
// further permutations from the same stream are appended until `count` pairs
// exist (steps_per_epoch larger than one pass). Returns exactly `count` pairs.
ImagePairs epoch_pairs(const torch::Tensor& indices, uint64_t seed, int64_t epoch, int64_t count);

}  // namespace stegolab::steganography
