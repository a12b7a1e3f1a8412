#include "stegolab/image_quality.hpp"

#include <cmath>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "stegolab/errors.hpp"
#include "stegolab/torch_compat.hpp"

namespace stegolab {

namespace {

constexpr int64_t kWindow = kSsimWindow;
constexpr double kSigma = 1.5;
constexpr double kK1 = 0.01;
constexpr double kK2 = 0.03;

void check_pair(const torch::Tensor& a, const torch::Tensor& b, const char* what) {
  if (a.dim() != 4 || a.sizes() != b.sizes()) {
    throw Error(std::string(what) + ": expected two NCHW images of the same shape, got " +
                c10::str(a.sizes()) + " and " + c10::str(b.sizes()));
  }
}

// 11x11 Gaussian, normalised to sum 1, as one [C, 1, 11, 11] depthwise kernel.
torch::Tensor gaussian_window(int64_t channels, const torch::Device& device) {
  auto coords = torch::arange(kWindow, torch::dtype(torch::kFloat64)) - (kWindow - 1) / 2.0;
  auto g = torch::exp(-(coords * coords) / (2.0 * kSigma * kSigma));
  g = g / g.sum();
  auto window = torch::outer(g, g).to(torch::kFloat32);
  return window.view({1, 1, kWindow, kWindow})
      .expand({channels, 1, kWindow, kWindow})
      .contiguous()
      .to(device);
}

void check_rgb(const torch::Tensor& rgb, const char* what) {
  if (rgb.dim() != 4 || rgb.size(1) != 3) {
    throw Error(std::string(what) + ": expected NCHW images with 3 channels, got " +
                c10::str(rgb.sizes()));
  }
}

// Per-image means of SSIM's map and of its contrast-structure factor (the
// map without the luminance term), which MS-SSIM uses at its finer scales.
struct SsimParts {
  torch::Tensor ssim;
  torch::Tensor contrast_structure;
};

SsimParts ssim_parts(const torch::Tensor& x, const torch::Tensor& y, double data_range) {
  const int64_t channels = x.size(1);
  const auto window = gaussian_window(channels, x.device());
  const std::vector<int64_t> one{1}, zero{0};
  // One convolution over the five stacked statistics instead of five calls.
  const int64_t n = x.size(0);
  const auto stacked = torch::cat({x, y, x * x, y * y, x * y}, 0);
  const auto filtered = torch::conv2d(stacked, window, /*bias=*/torch::Tensor(), /*stride=*/one,
                                      /*padding=*/zero, /*dilation=*/one, /*groups=*/channels);
  const auto mu_x = filtered.narrow(0, 0, n);
  const auto mu_y = filtered.narrow(0, n, n);
  const auto sigma_xx = filtered.narrow(0, 2 * n, n) - mu_x * mu_x;
  const auto sigma_yy = filtered.narrow(0, 3 * n, n) - mu_y * mu_y;
  const auto sigma_xy = filtered.narrow(0, 4 * n, n) - mu_x * mu_y;
  const double c1 = std::pow(kK1 * data_range, 2);
  const double c2 = std::pow(kK2 * data_range, 2);
  const auto cs_map = (2 * sigma_xy + c2) / (sigma_xx + sigma_yy + c2);
  const auto map = (2 * mu_x * mu_y + c1) / (mu_x * mu_x + mu_y * mu_y + c1) * cs_map;
  return {map.flatten(1).mean(1), cs_map.flatten(1).mean(1)};
}

void check_window_fits(const torch::Tensor& a, const char* what) {
  if (a.size(2) < kWindow || a.size(3) < kWindow) {
    throw Error(std::string(what) +
                ": images must be at least 11x11 pixels (valid 11x11 window), got " +
                std::to_string(a.size(2)) + "x" + std::to_string(a.size(3)));
  }
}

}  // namespace

torch::Tensor psnr(const torch::Tensor& a, const torch::Tensor& b, double data_range) {
  check_pair(a, b, "psnr");
  const auto diff = a.to(torch::kFloat32) - b.to(torch::kFloat32);
  const auto mse = diff.pow(2).flatten(1).mean(1);
  // log10(0) = -inf, so identical images give +inf as documented.
  return 10.0 * torch::log10(data_range * data_range / mse);
}

torch::Tensor ssim(const torch::Tensor& a, const torch::Tensor& b, double data_range) {
  check_pair(a, b, "ssim");
  check_window_fits(a, "ssim");
  // The metric must not change with the caller's precision: keep autocast out.
  compat::AutocastExcludedScope no_autocast;
  return ssim_parts(a.to(torch::kFloat32), b.to(torch::kFloat32), data_range).ssim;
}

int64_t ms_ssim_scales(int64_t height, int64_t width) {
  int64_t scales = 0;
  for (int64_t h = height, w = width; scales < kMsSsimScales && h >= kWindow && w >= kWindow;
       h /= 2, w /= 2) {
    ++scales;
  }
  return scales;
}

torch::Tensor ms_ssim(const torch::Tensor& a, const torch::Tensor& b, double data_range) {
  check_pair(a, b, "ms_ssim");
  check_window_fits(a, "ms_ssim");
  static const double kWeights[kMsSsimScales] = {0.0448, 0.2856, 0.3001, 0.2363, 0.1333};
  const int64_t scales = ms_ssim_scales(a.size(2), a.size(3));
  double weight_sum = 0.0;
  for (int64_t s = 0; s < scales; ++s) weight_sum += kWeights[s];
  compat::AutocastExcludedScope no_autocast;
  auto x = a.to(torch::kFloat32);
  auto y = b.to(torch::kFloat32);
  torch::Tensor product;
  for (int64_t s = 0; s < scales; ++s) {
    const SsimParts parts = ssim_parts(x, y, data_range);
    const bool coarsest = s + 1 == scales;
    // Negative factors have no real fractional power: clamp at 0, as the
    // common implementations (pytorch_msssim, TensorFlow) do.
    const auto factor = (coarsest ? parts.ssim : parts.contrast_structure).clamp_min(0.0);
    const auto term = factor.pow(kWeights[s] / weight_sum);
    product = product.defined() ? product * term : term;
    if (!coarsest) {
      x = torch::avg_pool2d(x, {2, 2}, {2, 2});
      y = torch::avg_pool2d(y, {2, 2}, {2, 2});
    }
  }
  return product;
}

torch::Tensor mean_absolute_difference(const torch::Tensor& a, const torch::Tensor& b) {
  check_pair(a, b, "mean_absolute_difference");
  return (a.to(torch::kFloat32) - b.to(torch::kFloat32)).abs().flatten(1).mean(1);
}

torch::Tensor rgb_to_luma_studio(const torch::Tensor& rgb, double data_range) {
  check_rgb(rgb, "rgb_to_luma_studio");
  const auto weights = torch::tensor({65.481 / 255.0, 128.553 / 255.0, 24.966 / 255.0},
                                     rgb.options().dtype(torch::kFloat32))
                           .view({1, 3, 1, 1});
  return (rgb.to(torch::kFloat32) * weights).sum(1, /*keepdim=*/true) + 16.0 / 255.0 * data_range;
}

torch::Tensor rgb_to_luma_bt601(const torch::Tensor& rgb) {
  check_rgb(rgb, "rgb_to_luma_bt601");
  const auto weights =
      torch::tensor({0.299, 0.587, 0.114}, rgb.options().dtype(torch::kFloat32)).view({1, 3, 1, 1});
  return (rgb.to(torch::kFloat32) * weights).sum(1, /*keepdim=*/true);
}

}  // namespace stegolab
