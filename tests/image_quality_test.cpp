// PSNR, SSIM and BT.601 luma of the SDK against values computed independently.
#include <cmath>
#include <limits>
#include <vector>

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "stegolab/errors.hpp"
#include "stegolab/image_quality.hpp"

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

}  // namespace
