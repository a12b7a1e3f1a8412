// PSNR, SSIM, MS-SSIM, APD and both BT.601 lumas of the SDK against values
// computed independently.
#include <cmath>
#include <limits>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "stegolab/errors.hpp"
#include "stegolab/image_quality.hpp"
#include "support/reference_pattern.hpp"

namespace {

// Straightforward SSIM, written from Wang et al. (2004) with plain loops in
// double precision, sharing no code with the library: 11x11 Gaussian window
// (sigma 1.5, normalised), valid positions only, mean over channels and positions.
double reference_ssim(const torch::Tensor& a, const torch::Tensor& b, double data_range) {
  const auto x = a.to(torch::kFloat64).contiguous();
  const auto y = b.to(torch::kFloat64).contiguous();
  const int channels = x.size(1), height = x.size(2), width = x.size(3);
  double window[11][11];
  double sum = 0.0;
  for (int i = 0; i < 11; ++i) {
    for (int j = 0; j < 11; ++j) {
      window[i][j] = std::exp(-((i - 5) * (i - 5) + (j - 5) * (j - 5)) / (2.0 * 1.5 * 1.5));
      sum += window[i][j];
    }
  }
  const double c1 = std::pow(0.01 * data_range, 2), c2 = std::pow(0.03 * data_range, 2);
  const auto px = x.accessor<double, 4>();
  const auto py = y.accessor<double, 4>();
  double total = 0.0;
  int count = 0;
  for (int c = 0; c < channels; ++c) {
    for (int r = 0; r + 11 <= height; ++r) {
      for (int s = 0; s + 11 <= width; ++s) {
        double mx = 0, my = 0, sxx = 0, syy = 0, sxy = 0;
        for (int i = 0; i < 11; ++i) {
          for (int j = 0; j < 11; ++j) {
            const double w = window[i][j] / sum, u = px[0][c][r + i][s + j], v = py[0][c][r + i][s + j];
            mx += w * u;
            my += w * v;
            sxx += w * u * u;
            syy += w * v * v;
            sxy += w * u * v;
          }
        }
        sxx -= mx * mx;
        syy -= my * my;
        sxy -= mx * my;
        total += ((2 * mx * my + c1) * (2 * sxy + c2)) / ((mx * mx + my * my + c1) * (sxx + syy + c2));
        ++count;
      }
    }
  }
  return total / count;
}

TEST(ImageQuality, PsnrOfKnownMse) {
  // A constant difference of 0.1 in [0, 1]: MSE 0.01, PSNR = 10 log10(1 / 0.01) = 20 dB.
  const auto a = torch::zeros({2, 3, 8, 8});
  auto b = torch::full({2, 3, 8, 8}, 0.1);
  // Second image: difference 25.5 in [0, 255]: same MSE ratio, also 20 dB.
  const auto psnr = stegolab::psnr(a, b, 1.0);
  ASSERT_EQ(psnr.sizes(), torch::IntArrayRef({2}));
  EXPECT_NEAR(psnr[0].item<double>(), 20.0, 1e-4);
  EXPECT_NEAR(stegolab::psnr(a * 255, b * 255, 255.0)[1].item<double>(), 20.0, 1e-4);
  // Per image: the second image has difference 0.2 -> MSE 0.04 -> 10 log10(25) = 13.9794 dB.
  b[1].fill_(0.2);
  EXPECT_NEAR(stegolab::psnr(a, b, 1.0)[1].item<double>(), 10.0 * std::log10(25.0), 1e-4);
  // Identical images: +inf, as documented.
  EXPECT_TRUE(std::isinf(stegolab::psnr(a, a, 1.0)[0].item<double>()));
}

TEST(ImageQuality, SsimOfConstantImagesHasClosedForm) {
  // Constant images have zero variance and covariance, so SSIM reduces to
  // (2 mu_a mu_b + C1) / (mu_a^2 + mu_b^2 + C1) with C1 = (0.01 * 1)^2:
  // mu_a = 0.2, mu_b = 0.6 -> (0.24 + 1e-4) / (0.40 + 1e-4) = 0.600099975...
  const auto a = torch::full({1, 3, 16, 16}, 0.2);
  const auto b = torch::full({1, 3, 16, 16}, 0.6);
  EXPECT_NEAR(stegolab::ssim(a, b, 1.0)[0].item<double>(), 0.2401 / 0.4001, 1e-5);
  EXPECT_NEAR(stegolab::ssim(a, a, 1.0)[0].item<double>(), 1.0, 1e-6);
}

TEST(ImageQuality, SsimMatchesLoopImplementationOnPattern) {
  // A deterministic 16x16 pattern and a distorted copy; the expected value
  // comes from reference_ssim above (independent loop implementation).
  const auto rows = torch::arange(16, torch::kFloat64).view({1, 1, 16, 1});
  const auto cols = torch::arange(16, torch::kFloat64).view({1, 1, 1, 16});
  const auto channel = torch::arange(3, torch::kFloat64).view({1, 3, 1, 1});
  const auto a = (0.5 + 0.4 * torch::sin(0.7 * rows + 0.3 * cols + channel)).to(torch::kFloat32);
  const auto b = (0.5 + 0.3 * torch::cos(0.5 * rows - 0.2 * cols * channel) * 0.5 + 0.5 * a).to(torch::kFloat32);
  const double expected = reference_ssim(a, b, 1.0);
  EXPECT_NEAR(stegolab::ssim(a, b, 1.0)[0].item<double>(), expected, 1e-5);
  // The pattern is far enough from identical that a wrong formula shows up.
  EXPECT_LT(expected, 0.95);
  EXPECT_GT(expected, 0.0);
}

TEST(ImageQuality, SsimIsDifferentiable) {
  auto a = torch::rand({1, 3, 12, 12}).requires_grad_(true);
  const auto b = torch::rand({1, 3, 12, 12});
  stegolab::ssim(a, b, 1.0).sum().backward();
  ASSERT_TRUE(a.grad().defined());
  EXPECT_GT(a.grad().abs().sum().item<double>(), 0.0);
}

TEST(ImageQuality, SsimRejectsImagesSmallerThanTheWindow) {
  const auto a = torch::zeros({1, 3, 8, 8});
  EXPECT_THROW(stegolab::ssim(a, a, 1.0), stegolab::Error);
}

TEST(ImageQuality, LumaBt601) {
  // Y = 0.299 R + 0.587 G + 0.114 B: pure red 0.299; (0.2, 0.4, 0.6) -> 0.0598 + 0.2348 + 0.0684 = 0.363.
  const auto rgb = torch::tensor({1.0, 0.2, 0.0, 0.4, 0.0, 0.6}).view({1, 3, 1, 2});
  const auto y = stegolab::rgb_to_luma_bt601(rgb);
  ASSERT_EQ(y.sizes(), torch::IntArrayRef({1, 1, 1, 2}));
  EXPECT_NEAR(y[0][0][0][0].item<double>(), 0.299, 1e-6);
  EXPECT_NEAR(y[0][0][0][1].item<double>(), 0.363, 1e-6);
}

TEST(ImageQuality, MsSsimMatchesTheNumpyReference) {
  // Expected: tests/reference/image_quality_reference.py (NumPy, float64).
  // 176x176 uses all five scales with Wang's weights; 48x40 the two that
  // hold the 11x11 window (48x40, 24x20), weights renormalised.
  const auto [a, b] = reference_pattern(176, 176);
  EXPECT_EQ(stegolab::ms_ssim_scales(176, 176), 5);
  EXPECT_NEAR(stegolab::ms_ssim(a, b, 255.0)[0].item<double>(), 0.9912611361, 1e-5);
  const auto [c, d] = reference_pattern(48, 40);
  EXPECT_EQ(stegolab::ms_ssim_scales(48, 40), 2);
  EXPECT_NEAR(stegolab::ms_ssim(c, d, 255.0)[0].item<double>(), 0.9773553808, 1e-5);
  // The same images' SSIM (0.9267915917) differs, so the scales do matter.
  EXPECT_NEAR(stegolab::ssim(c, d, 255.0)[0].item<double>(), 0.9267915917, 1e-5);
  EXPECT_NEAR(stegolab::ms_ssim(c, c, 255.0)[0].item<double>(), 1.0, 1e-6);
}

TEST(ImageQuality, MsSsimOfOneScaleIsSsim) {
  // 11..21 px holds one scale only: its weight renormalises to 1.
  const auto [a, b] = reference_pattern(16, 16);
  EXPECT_EQ(stegolab::ms_ssim_scales(16, 16), 1);
  EXPECT_NEAR(stegolab::ms_ssim(a, b, 255.0)[0].item<double>(),
              stegolab::ssim(a, b, 255.0)[0].item<double>(), 1e-6);
  EXPECT_THROW(stegolab::ms_ssim(a.narrow(2, 0, 8), b.narrow(2, 0, 8), 255.0), stegolab::Error);
}

TEST(ImageQuality, ApdAndBothLumaPsnrsMatchTheNumpyReference) {
  // Expected: tests/reference/image_quality_reference.py, 48x40 images.
  const auto [a, b] = reference_pattern(48, 40);
  EXPECT_NEAR(stegolab::mean_absolute_difference(a, b)[0].item<double>(), 9.9352430556, 1e-5);
  EXPECT_NEAR(stegolab::psnr(a, b, 255.0)[0].item<double>(), 26.8680179104, 1e-4);
  const auto studio = stegolab::psnr(stegolab::rgb_to_luma_studio(a, 255.0),
                                     stegolab::rgb_to_luma_studio(b, 255.0), 255.0);
  EXPECT_NEAR(studio[0].item<double>(), 28.5947387764, 1e-4);
  const auto full =
      stegolab::psnr(stegolab::rgb_to_luma_bt601(a), stegolab::rgb_to_luma_bt601(b), 255.0);
  EXPECT_NEAR(full[0].item<double>(), 27.2728174645, 1e-4);
}

TEST(ImageQuality, LumaStudioRangeAsMatlab) {
  // By hand from Y = 16 + (65.481 R + 128.553 G + 24.966 B) / 255 on 0-255:
  // red 255 -> 81.481; (51, 102, 153) -> 16 + 20271.735 / 255 = 95.49700; black -> 16.
  const auto rgb = torch::tensor({255.0, 51.0, 0.0, 0.0, 102.0, 0.0, 0.0, 153.0, 0.0})
                       .view({3, 3, 1, 1}).permute({1, 0, 2, 3}).contiguous();
  const auto y = stegolab::rgb_to_luma_studio(rgb, 255.0);
  ASSERT_EQ(y.sizes(), torch::IntArrayRef({3, 1, 1, 1}));
  EXPECT_NEAR(y[0].item<double>(), 81.481, 1e-4);
  EXPECT_NEAR(y[1].item<double>(), 95.49700, 1e-4);
  EXPECT_NEAR(y[2].item<double>(), 16.0, 1e-5);
  // On 0-1 inputs the same Y divided by 255 (MATLAB's double convention).
  EXPECT_NEAR(stegolab::rgb_to_luma_studio(rgb / 255.0, 1.0)[1].item<double>(), 95.49700 / 255.0,
              1e-6);
  // A grey shift of d moves studio Y by d * 219/255: its PSNR reads
  // 20 log10(255/219) = 1.3228 dB above the full-range one.
  const auto grey = torch::full({1, 3, 4, 4}, 100.0);
  const auto shifted = grey + 10.0;
  const double studio = stegolab::psnr(stegolab::rgb_to_luma_studio(grey, 255.0),
                                       stegolab::rgb_to_luma_studio(shifted, 255.0), 255.0)[0]
                            .item<double>();
  const double full = stegolab::psnr(stegolab::rgb_to_luma_bt601(grey),
                                     stegolab::rgb_to_luma_bt601(shifted), 255.0)[0]
                          .item<double>();
  EXPECT_NEAR(studio - full, 20.0 * std::log10(255.0 / 219.0), 1e-3);
}

}  // namespace
