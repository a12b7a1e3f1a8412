// Where a trial's random numbers come from, so that a trial resumed from a
// checkpoint draws exactly what an uninterrupted one would.
//
// Checkpoints are written between epochs, so instead of saving every
// generator's state the trainer restarts each stream at the start of each
// phase from a seed derived from (trial seed, phase, epoch): LibTorch's
// default generators (the loss's channel noise, a model's random prior) and
// the data source's augmentations. A phase's draws then depend on nothing
// that happened before it, and any phase boundary is a resume point. The
// task's pairing and the curriculum were already functions of (seed, epoch,
// step) and need nothing.
#pragma once

#include <cstdint>

#include "stegolab/dataset.hpp"

namespace stegolab {

enum class RandomPhase : uint64_t { training = 1, validation = 2, test = 3 };

// The seed of `phase` in (0-based) `epoch` of a trial seeded `trial_seed`.
uint64_t phase_seed(uint64_t trial_seed, RandomPhase phase, int64_t epoch);

// Restarts LibTorch's default generators (CPU and every CUDA device) and,
// for training, the source's augmentations for `phase` of `epoch`.
void restart_random_streams(uint64_t trial_seed, RandomPhase phase, int64_t epoch,
                            ImageSource& source);

}  // namespace stegolab
