#include "sample_pair_analysis.hpp"

#include <cmath>

#include <torch/torch.h>

#include "stegolab/errors.hpp"

namespace stegolab::steganography {

namespace {

// The pair counts of the paper for pairs (u, v): X (v even and u < v, or v
// odd and u > v), Y (v even and u > v, or v odd and u < v), C0 (u and v
// equal but for the least significant bit), and all pairs.
struct PairCounts {
  double x = 0, y = 0, c0 = 0, pairs = 0;
};

void count_pairs(const torch::Tensor& u, const torch::Tensor& v, PairCounts& counts) {
  const torch::Tensor v_even = v.remainder(2).eq(0);
  const torch::Tensor below = u.lt(v);
  const torch::Tensor above = u.gt(v);
  counts.x += (v_even.logical_and(below).logical_or(v_even.logical_not().logical_and(above)))
                  .sum()
                  .item<double>();
  counts.y += (v_even.logical_and(above).logical_or(v_even.logical_not().logical_and(below)))
                  .sum()
                  .item<double>();
  counts.c0 += u.div(2, "floor").eq(v.div(2, "floor")).sum().item<double>();
  counts.pairs += static_cast<double>(u.numel());
}

// The smaller root of 0.5 C0 p^2 + (2X - P) p + (Y - X) = 0 (the paper's
// estimator, its |X| = |Y| assumption on covers). A negative discriminant
// (noise at p near 1) takes the vertex, the closest real value.
double embedding_rate(const PairCounts& c) {
  const double a = 0.5 * c.c0;
  const double b = 2 * c.x - c.pairs;
  const double constant = c.y - c.x;
  if (a == 0) return b == 0 ? 0.0 : -constant / b;
  const double discriminant = std::max(0.0, b * b - 4 * a * constant);
  return (-b - std::sqrt(discriminant)) / (2 * a);
}

}  // namespace

torch::Tensor sample_pair_rates(const torch::Tensor& pixels) {
  if (!pixels.defined() || pixels.dim() != 4 || pixels.scalar_type() != torch::kUInt8) {
    throw Error("sample-pair analysis: expected uint8 [N, H, W, C] images, got " +
                (pixels.defined() ? c10::str(pixels.scalar_type(), " ", pixels.sizes())
                                  : std::string("none")));
  }
  const torch::Tensor values = pixels.cpu().to(torch::kInt32);
  const int64_t count = values.size(0);
  torch::Tensor rates = torch::empty({count}, torch::kFloat64);
  for (int64_t i = 0; i < count; ++i) {
    const torch::Tensor image = values[i];  // [H, W, C]
    PairCounts counts;
    count_pairs(image.slice(1, 0, -1), image.slice(1, 1), counts);  // horizontal
    count_pairs(image.slice(0, 0, -1), image.slice(0, 1), counts);  // vertical
    rates[i] = embedding_rate(counts);
  }
  return rates;
}

}  // namespace stegolab::steganography
