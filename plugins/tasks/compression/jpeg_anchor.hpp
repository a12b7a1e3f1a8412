// The JPEG anchor of a rate-distortion comparison: the test images through
// OpenCV's baseline JPEG (libjpeg) at a chosen quality, measured on the same
// images as the learned codec, with the whole file's size as its rate.
#pragma once

#include <cstddef>
#include <string>

#include <torch/types.h>

namespace stegolab::compression {

struct JpegRoundTrip {
  torch::Tensor decoded;  // [1, 3, H, W] float in [-1, 1], 8-bit values
  std::size_t bytes = 0;  // the JPEG file, headers included
};

// `image`: [1, 3, H, W] float in [-1, 1] on any device; quality 1..100.
// Throws PluginError when OpenCV cannot encode (or the build has no OpenCV).
JpegRoundTrip jpeg_round_trip(const torch::Tensor& image, int quality);

// The anchor's label in metric names: "jpeg(q=50)", as in "psnr@jpeg(q=50)".
inline std::string jpeg_anchor_label(int quality) {
  return "jpeg(q=" + std::to_string(quality) + ")";
}

}  // namespace stegolab::compression
