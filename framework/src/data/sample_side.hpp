// The side of an image source's square training samples: models are built
// for it and checkpoints record it.
#pragma once

#include <cstdint>

#include "stegolab/dataset.hpp"

namespace stegolab {

// sample_extent(true)'s side; throws stegolab::Error when the training
// samples are not square or empty.
int64_t training_sample_side(const ImageSource& source);

}  // namespace stegolab
