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

// Multi-scale SSIM (Wang, Simoncelli, Bovik 2003): up to 5 scales with
// weights 0.0448, 0.2856, 0.3001, 0.2363, 0.1333; each coarser scale is a
// 2x2 average (stride 2, an odd last row/column dropped); contrast-structure
// at the finer scales, full SSIM (ssim() above) at the coarsest, each
// clamped at 0 before its power. Images too small for 5 scales (the coarsest
// must still hold the 11x11 window: 176 px for all 5) use the scales that
// fit, their weights renormalised to sum 1; 11..21 px is plain SSIM.
constexpr int kMsSsimScales = 5;
STEGOLAB_VISIBLE torch::Tensor ms_ssim(const torch::Tensor& a, const torch::Tensor& b,
                                       double data_range);
// How many scales ms_ssim() uses for images of height x width (0: too small).
STEGOLAB_VISIBLE int64_t ms_ssim_scales(int64_t height, int64_t width);

// Mean absolute difference per image, in the inputs' units: APD (average
// pixel discrepancy) of the literature when the images are on 0-255.
STEGOLAB_VISIBLE torch::Tensor mean_absolute_difference(const torch::Tensor& a,
                                                        const torch::Tensor& b);

// Full-range ITU-R BT.601 luma, Y = 0.299 R + 0.587 G + 0.114 B, same range
// as the input: [N, 1, H, W]. Not the convention of the literature's Y-PSNR.
STEGOLAB_VISIBLE torch::Tensor rgb_to_luma_bt601(const torch::Tensor& rgb);

// Studio-range BT.601 luma as MATLAB's rgb2ycbcr computes it, the Y of the
// Y-PSNR that HiNet, ISN and DeepMIH report: on the 0-255 scale
// Y = 16 + (65.481 R + 128.553 G + 24.966 B) / 255, in [16, 235]; inputs in
// [0, data_range] give Y in the same units (16/255 data_range offset).
// Float, not rounded. [N, 1, H, W]. PSNR on it reads about 1.3 dB above the
// full-range luma's, since its differences are 219/255 as large.
STEGOLAB_VISIBLE torch::Tensor rgb_to_luma_studio(const torch::Tensor& rgb, double data_range);

}  // namespace stegolab
