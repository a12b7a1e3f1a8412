#include "trainer/random_streams.hpp"

#include <torch/utils.h>

#include "stegolab/seeded_permutation.hpp"

namespace stegolab {

namespace {
// Keeps the augmentations' stream apart from the generators' of the same phase.
constexpr uint64_t kAugmentationStream = 0xa5a5;
}  // namespace

uint64_t phase_seed(uint64_t trial_seed, RandomPhase phase, int64_t epoch) {
  const uint64_t phase_key = derive_seed(static_cast<uint64_t>(phase), static_cast<uint64_t>(epoch));
  return derive_seed(trial_seed, phase_key);
}

void restart_random_streams(uint64_t trial_seed, RandomPhase phase, int64_t epoch,
                            ImageSource& source) {
  const uint64_t seed = phase_seed(trial_seed, phase, epoch);
  // Seeds every CUDA device's generator too, where there are devices.
  torch::manual_seed(seed);
  if (phase == RandomPhase::training) source.seed_augmentations(derive_seed(seed, kAugmentationStream));
}

}  // namespace stegolab
