// Conversions between the model's [-1, 1] images and 8-bit pixel values:
// one definition for the metrics, the losses, the models and the image files.
#pragma once

#include <torch/types.h>

#include "stegolab/export.hpp"

namespace stegolab {

// An 8-bit pixel p is p / kPixelHalfRange - 1 in the models' [-1, 1] range.
constexpr double kPixelHalfRange = 127.5;

// NCHW float in [-1, 1] -> fp32 on the 0-255 scale, (x + 1) * 127.5 clamped
// to [0, 255]; rounded to integers when `quantize` (what an 8-bit file holds).
// NaN stays NaN.
STEGOLAB_VISIBLE torch::Tensor to_pixel_scale(const torch::Tensor& images, bool quantize);

// NCHW float in [-1, 1] -> the same images after an 8-bit round trip, still
// in [-1, 1] (fp32): the stego as a saved PNG would give it back.
STEGOLAB_VISIBLE torch::Tensor quantize_to_8bit(const torch::Tensor& images);

// quantize_to_8bit() in the forward pass, the identity in backward (a
// straight-through estimator), for training through a simulated saved image.
STEGOLAB_VISIBLE torch::Tensor quantize_to_8bit_straight_through(const torch::Tensor& images);

// uint8 [N, H, W, C] (0..255, any device) -> NCHW fp32 in [-1, 1] on the
// same device: how images from files and data sources enter a model.
STEGOLAB_VISIBLE torch::Tensor images_from_uint8(const torch::Tensor& pixels_nhwc);

// NCHW float in [-1, 1] (any device) -> uint8 [N, H, W, C] on the CPU,
// clamped and rounded to the nearest 8-bit level: what a file holds.
STEGOLAB_VISIBLE torch::Tensor images_to_uint8(const torch::Tensor& images);

// |a - b| of two NCHW float images in [-1, 1], each first rounded to 8 bits,
// times `factor`, clamped to 255: uint8 [N, H, W, C] on the CPU, the
// amplified residual that papers print (x10, x20) to show where a change is.
STEGOLAB_VISIBLE torch::Tensor amplified_difference(const torch::Tensor& a, const torch::Tensor& b,
                                                    double factor);

}  // namespace stegolab
