// Image-quality measures shared by the metrics, the losses and the tests:
// one implementation, so a loss and the number in a paper mean the same thing.
#pragma once

#include <torch/types.h>

#include "stegolab/export.hpp"

namespace stegolab {

// All take NCHW float images with values in [0, data_range] and return one
// value per image, shape [N], computed in fp32 on the images' device.

// 10 log10(data_range^2 / MSE); +inf for identical images.
STEGOLAB_VISIBLE torch::Tensor psnr(const torch::Tensor& a, const torch::Tensor& b,
                                    double data_range);

// The side of ssim()'s window: it needs images at least this large.
constexpr int64_t kSsimWindow = 11;

// Structural similarity (Wang et al. 2004): Gaussian window 11x11, sigma 1.5,
// K1 = 0.01, K2 = 0.03, valid region only (no padding), mean over channels.
// Differentiable.
STEGOLAB_VISIBLE torch::Tensor ssim(const torch::Tensor& a, const torch::Tensor& b,
                                    double data_range);

// ITU-R BT.601 luma of RGB images, same range as the input: [N, 1, H, W].
STEGOLAB_VISIBLE torch::Tensor rgb_to_luma_bt601(const torch::Tensor& rgb);

}  // namespace stegolab
