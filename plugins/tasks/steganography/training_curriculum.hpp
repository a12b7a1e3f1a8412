// How likely a training image is to pass through the attack mix, over the
// course of training (task parameter train_attack_probability): a constant,
// or a curriculum that starts easy (few images attacked) and ends hard.
#pragma once

#include <string>

#include "stegolab/params.hpp"

namespace stegolab::steganography {

struct TrainingCurriculum {
  double start = 1.0;  // probability at the start of training ...
  double end = 1.0;    // ... and at its end, linear in between

  // The probability at a training fraction (clamped to [0, 1]).
  double at(double fraction) const;
};

// Task parameter `key`: a number in [0, 1] (the same probability throughout)
// or {"start": S, "end": E}; throws ParamError naming the parameter otherwise.
TrainingCurriculum read_training_curriculum(const Params& params, const std::string& key);

}  // namespace stegolab::steganography
