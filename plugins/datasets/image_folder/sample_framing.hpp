// How a decoded image becomes a sample: an optional resize of its centre
// square (the `size` mode), then a side x side window, at a random position
// for training or in the centre for evaluation, optionally mirrored.
#pragma once

#include <cstdint>
#include <filesystem>

#include <opencv2/core.hpp>

namespace stegolab {

// The random choices for one training sample, drawn before any decoding so
// that they depend only on the seed and the sample's place in the sequence.
struct SampleDraw {
  double top = 0.5;   // uniform [0, 1): where the window lies in the free rows
  double left = 0.5;  // ... and columns
  bool flip = false;  // mirror left-right
};

// RGB uint8 pixels of `file` at native resolution, or, when `square_side` >
// 0, its centre square resized to square_side (INTER_AREA shrinking,
// INTER_CUBIC enlarging). Grayscale, RGBA and 16-bit files become 8-bit RGB.
// Empty when the file cannot be decoded.
cv::Mat decode_rgb(const std::filesystem::path& file, int64_t square_side);

// Writes the height x width window of `image` chosen by `draw` (nullptr:
// the centre, not mirrored) to `out` (height * width * 3 bytes, row-major
// RGB). An image smaller than the window is first enlarged (INTER_CUBIC,
// aspect kept) until the window fits.
void write_window(const cv::Mat& image, int64_t height, int64_t width, const SampleDraw* draw,
                  uint8_t* out);

}  // namespace stegolab
