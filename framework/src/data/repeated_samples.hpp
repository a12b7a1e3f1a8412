// Several training samples from one image: a source's crops_per_image()
// asks the host to serve each drawn sample that many times in a row, so one
// batch holds its crops together and the source decodes the image once.
#pragma once

#include <cstdint>

#include "stegolab/tensor_map.hpp"

namespace stegolab {

// How many samples to draw so that `times` repeats of each make up `count`.
int64_t samples_before_repeats(int64_t count, int64_t times);

// Every list of `samples` with each entry repeated `times` times in a row
// ([a, b] -> [a, a, b, b]), cut to its first `count` entries.
TensorMap repeat_samples(const TensorMap& samples, int64_t times, int64_t count);

}  // namespace stegolab
