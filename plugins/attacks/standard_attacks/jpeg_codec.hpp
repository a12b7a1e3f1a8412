// A real JPEG round trip through OpenCV's encoder (libjpeg, its default 4:2:0
// chroma subsampling), for a batch of images.
#pragma once

#include <torch/types.h>

namespace stegolab::attacks {

// images: NCHW float in [-1, 1] (1 or 3 channels, RGB), any device. Returns
// the decoded JPEGs at `quality` (1-100), NCHW fp32 in [-1, 1] on the same device.
torch::Tensor jpeg_round_trip(const torch::Tensor& images, int quality);

}  // namespace stegolab::attacks
