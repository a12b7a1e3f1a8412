// The quality lines the commands print (PSNR and SSIM of one image against
// another), and the check that they can be measured at all, which runs
// before anything is written.
#pragma once

#include <string>

#include <torch/types.h>

namespace stegolab::steganography {

// Throws Error when `image` (NCHW) is too small for SSIM's window; `what`
// names it ("the cover 'c.png' (--fit native)").
void check_measurable(const torch::Tensor& image, const std::string& what);

// "label: PSNR x dB, SSIM y" of a against b (NCHW in [-1, 1]) on stdout; both
// are computed before anything is printed.
void print_quality(const std::string& label, const torch::Tensor& a, const torch::Tensor& b);

}  // namespace stegolab::steganography
