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
  if (a.size(2) < kWindow || a.size(3) < kWindow) {
    throw Error("ssim: images must be at least 11x11 pixels (valid 11x11 window), got " +
                std::to_string(a.size(2)) + "x" + std::to_string(a.size(3)));
  }
  // The metric must not change with the caller's precision: keep autocast out.
  compat::AutocastExcludedScope no_autocast;
  const auto x = a.to(torch::kFloat32);
  const auto y = b.to(torch::kFloat32);
  const int64_t channels = x.size(1);
  const auto window = gaussian_window(channels, x.device());
  auto filter = [&](const torch::Tensor& t) {
    const std::vector<int64_t> one{1}, zero{0};
    return torch::conv2d(t, window, /*bias=*/torch::Tensor(), /*stride=*/one, /*padding=*/zero,
                         /*dilation=*/one, /*groups=*/channels);
  };
  // One convolution over the five stacked statistics instead of five calls.
  const int64_t n = x.size(0);
  const auto stacked = torch::cat({x, y, x * x, y * y, x * y}, 0);
  const auto filtered = filter(stacked);
  const auto mu_x = filtered.narrow(0, 0, n);
  const auto mu_y = filtered.narrow(0, n, n);
  const auto sigma_xx = filtered.narrow(0, 2 * n, n) - mu_x * mu_x;
  const auto sigma_yy = filtered.narrow(0, 3 * n, n) - mu_y * mu_y;
  const auto sigma_xy = filtered.narrow(0, 4 * n, n) - mu_x * mu_y;
  const double c1 = std::pow(kK1 * data_range, 2);
  const double c2 = std::pow(kK2 * data_range, 2);
  const auto map = ((2 * mu_x * mu_y + c1) * (2 * sigma_xy + c2)) /
                   ((mu_x * mu_x + mu_y * mu_y + c1) * (sigma_xx + sigma_yy + c2));
  return map.flatten(1).mean(1);
}

torch::Tensor rgb_to_luma_bt601(const torch::Tensor& rgb) {
  if (rgb.dim() != 4 || rgb.size(1) != 3) {
    throw Error("rgb_to_luma_bt601: expected NCHW images with 3 channels, got " +
                c10::str(rgb.sizes()));
  }
  const auto weights =
      torch::tensor({0.299, 0.587, 0.114}, rgb.options().dtype(torch::kFloat32)).view({1, 3, 1, 1});
  return (rgb.to(torch::kFloat32) * weights).sum(1, /*keepdim=*/true);
}

}  // namespace stegolab
