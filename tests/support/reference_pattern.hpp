// The integer test images of tests/reference/image_quality_reference.py
// (1x3xHxW on 0-255, float), rebuilt exactly from the same formulas, so the
// tests can compare with the NumPy script's numbers.
#pragma once

#include <cstdint>
#include <utility>

#include <torch/torch.h>

inline std::pair<torch::Tensor, torch::Tensor> reference_pattern(int64_t height, int64_t width) {
  const auto c = torch::arange(3, torch::kLong).view({3, 1, 1});
  const auto i = torch::arange(height, torch::kLong).view({1, height, 1});
  const auto j = torch::arange(width, torch::kLong).view({1, 1, width});
  const auto a = (i * 7 + j * 13 + c * 29 + (i * j).remainder(17)).remainder(256);
  const auto b = (a + (i * 3 + j * 5 + c).remainder(41) - 20).clamp(0, 255);
  return {a.unsqueeze(0).to(torch::kFloat32), b.unsqueeze(0).to(torch::kFloat32)};
}
