// The full metric set of two images of the same size, for `stegolab
// compare`: the quickest way to check a number of a table by hand. The
// measures are the SDK's (stegolab/image_quality.hpp), on the 0-255 scale.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>
#include <torch/types.h>

namespace stegolab {

struct ImageMeasure {
  std::string name;             // "psnr", "psnr_y_matlab", ...
  std::optional<double> value;  // none: not measurable (SSIM of an image under 11 px)
  std::string unit;             // "dB", "" or "0-255"
};

// a, b: uint8 [H, W, 3] RGB of the same size. In order: psnr, psnr_y_matlab
// (studio range, MATLAB rgb2ycbcr), psnr_y_full (full-range BT.601), ssim,
// ms_ssim, apd, rmse, max_abs_diff. PSNR of identical images is +inf.
std::vector<ImageMeasure> compare_images(const torch::Tensor& a, const torch::Tensor& b);

// "psnr 38.20 dB  psnr_y_matlab 41.11 dB  ...": one line, without newline.
std::string comparison_line(const std::vector<ImageMeasure>& measures);

// {"psnr": 38.2028, ...}; +inf and unmeasurable values as null.
nlohmann::json comparison_json(const std::vector<ImageMeasure>& measures);

}  // namespace stegolab
