// Padding images up to the multiple of a side a model or codec needs, and
// cropping its output back: one definition for every task that runs whole
// images of any size through such a model.
#pragma once

#include <cstdint>

#include <torch/types.h>

#include "stegolab/export.hpp"

namespace stegolab {

// How the added rows and columns are filled.
enum class ImagePadding {
  // Mirrored about the edge pixel, which is not repeated (numpy's and
  // PyTorch's "reflect"): the image's texture goes on, no flat band.
  reflect,
  // The edge pixel repeated.
  replicate,
};

// `value` rounded up to a multiple of `multiple` (>= 1).
STEGOLAB_VISIBLE int64_t rounded_up_to_multiple(int64_t value, int64_t multiple);

// NCHW images padded at the bottom and the right until height and width are
// multiples of `multiple`; unchanged (the same tensor) when they already
// are. Reflection wider than the image repeats the reflection; an image one
// pixel high or wide is replicated. Differentiable; any floating dtype.
STEGOLAB_VISIBLE torch::Tensor pad_to_multiple(const torch::Tensor& images, int64_t multiple,
                                               ImagePadding mode);

// The top-left height x width of NCHW images: what pad_to_multiple() padded,
// cropped back (a view).
STEGOLAB_VISIBLE torch::Tensor crop_to(const torch::Tensor& images, int64_t height, int64_t width);

}  // namespace stegolab
