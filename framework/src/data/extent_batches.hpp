// Evaluation batches of whole images: images of different sizes cannot be
// stacked into one tensor, so samples whose first-named images share one
// extent are batched together, each sample exactly once.
#pragma once

#include <cstdint>
#include <vector>

#include <torch/types.h>

#include "stegolab/dataset.hpp"

namespace stegolab {

struct ExtentBatch {
  torch::Tensor positions;  // int64, CPU: which entries of the sample lists
  ImageExtent extent;       // of the first-named image of each of them
};

// `first_list`: the first named list of image indices (int64, 1-D, CPU).
// Groups in the order their extent first appears, positions ascending within
// a group, each group cut into batches of at most `batch_size`: the same
// batches for the same lists, whatever else happens.
std::vector<ExtentBatch> batches_by_extent(const ImageSource& source,
                                           const torch::Tensor& first_list, int64_t batch_size);

}  // namespace stegolab
