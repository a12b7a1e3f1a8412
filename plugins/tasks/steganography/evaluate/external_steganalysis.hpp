// Steganalysis of another method's cover/stego files: the matched pairs
// split by a seed into a train set (the learned steganalyser's) and a test
// set (where both detectors are measured), as a trial's train and test
// splits are used by `stegolab steganalyze`.
#pragma once

#include <cstdint>

#include "../steganalysis/stego_image_sets.hpp"
#include "external_images.hpp"

namespace stegolab::steganography {

struct ExternalSplit {
  StegoImageSets train, test;
};

// The pairs in the order of a seeded permutation (seeded_permutation.hpp)
// of their sorted names; the first round(test_fraction x pairs) are the
// test set, the rest the train set. Throws Error when the images differ in
// size (the steganalyser takes one size) or the split leaves fewer than 2
// train or 1 test pairs.
ExternalSplit split_for_steganalysis(const ExternalImages& images, double test_fraction,
                                     uint64_t seed);

}  // namespace stegolab::steganography
