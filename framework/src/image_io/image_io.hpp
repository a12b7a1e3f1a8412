// Reading and writing image files (OpenCV), and the conversions between the
// files' 8-bit pixels and the models' NCHW float images.
//
// At the edges images are uint8 tensors [H, W, 3], RGB, on the CPU; no OpenCV
// type leaves this module.
#pragma once

#include <filesystem>
#include <iosfwd>

#include <torch/types.h>

#include "stegolab/errors.hpp"

namespace stegolab {

// A file is missing, unreadable or cannot be written.
class ImageFileError : public Error {
 public:
  using Error::Error;
};

// PNG/JPEG/... -> uint8 [H, W, 3] RGB. Grayscale and RGBA (and 16-bit) files
// are converted to 8-bit RGB with a one-line note on `notes` (if given).
torch::Tensor read_image(const std::filesystem::path& file, std::ostream* notes);
// As read_image, but a file whose samples are not 8-bit (16-bit PNG or TIFF,
// float) is refused with ImageFileError naming it instead of converted: for
// measurements that must see the file's own values.
torch::Tensor read_8bit_image(const std::filesystem::path& file, std::ostream* notes);

// uint8 [H, W, 3] RGB -> file; the format follows the extension (.png is lossless).
void write_image(const std::filesystem::path& file, const torch::Tensor& image);

// uint8 [H, W, 3] -> uint8 [height, width, 3]: INTER_AREA when shrinking
// (no aliasing), INTER_CUBIC when enlarging.
torch::Tensor resize_image(const torch::Tensor& image, int64_t height, int64_t width);

// uint8 [H, W, C] -> float [1, C, H, W] in [-1, 1] on `device`.
torch::Tensor to_model_image(const torch::Tensor& image, torch::Device device);
// float [1, C, H, W] in [-1, 1] (any device) -> uint8 [H, W, C] on the CPU,
// clamped and rounded to the nearest 8-bit level.
torch::Tensor from_model_image(const torch::Tensor& image);

}  // namespace stegolab
