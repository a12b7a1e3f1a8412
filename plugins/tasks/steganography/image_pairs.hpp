// Cover/secret composition of a split's images: each sample is one cover and
// k secrets (k = 1: a pair).
#pragma once

#include <cstdint>
#include <vector>

#include <torch/types.h>

namespace stegolab::steganography {

// Parallel lists of image indices (int64, 1-D, CPU, same length): sample i
// hides images secrets[0][i] .. secrets[k-1][i] in image covers[i].
struct ImagePairs {
  torch::Tensor covers;
  std::vector<torch::Tensor> secrets;
  int64_t size() const { return covers.defined() ? covers.size(0) : 0; }
};

// Fixed samples for evaluation: covers in the given order, secret j the same
// list cyclically shifted by j, so no image hides in itself and a sample's
// images are distinct (indices distinct, at least secrets + 1 of them).
ImagePairs fixed_pairs(const torch::Tensor& indices, int64_t secrets = 1);

// Training samples for one epoch: a fresh permutation of `indices` seeded by
// (seed, epoch), composed as in fixed_pairs(). When `count` exceeds the split,
// further permutations from the same stream are appended until `count` samples
// exist (steps_per_epoch larger than one pass). Returns exactly `count` samples.
ImagePairs epoch_pairs(const torch::Tensor& indices, uint64_t seed, int64_t epoch, int64_t count,
                       int64_t secrets = 1);

// Fixed samples (a pairs file's) in a fresh order per epoch, seeded by
// (seed, epoch) as epoch_pairs() is, repeated until exactly `count` exist.
ImagePairs epoch_order(const ImagePairs& samples, uint64_t seed, int64_t epoch, int64_t count);

}  // namespace stegolab::steganography
