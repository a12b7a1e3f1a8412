#include "separable_wavelet.hpp"

#include <utility>

#include <torch/torch.h>

namespace stegolab::wavelets {

namespace {

constexpr int64_t kHeight = 2;
constexpr int64_t kWidth = 3;

// Even and odd samples along `dim` as strided views (no copy).
std::pair<torch::Tensor, torch::Tensor> split_polyphase(const torch::Tensor& x, int64_t dim) {
  const int64_t size = x.size(dim);
  return {x.slice(dim, 0, size, 2), x.slice(dim, 1, size, 2)};
}

// Inverse of split_polyphase(): samples 2n from `even`, 2n+1 from `odd`.
torch::Tensor merge_polyphase(const torch::Tensor& even, const torch::Tensor& odd, int64_t dim) {
  return torch::stack({even, odd}, dim + 1).flatten(dim, dim + 1);
}

}  // namespace

SeparableWavelet::SeparableWavelet(std::string name, std::shared_ptr<const LiftingScheme> scheme,
                                   int levels)
    : Transform(levels), name_(std::move(name)), scheme_(std::move(scheme)) {}

// images: NCHW with even H and W, any range. Returns LL | LH | HL | HH.
torch::Tensor SeparableWavelet::analyze(const torch::Tensor& images) const {
  const int64_t channels = images.size(1);
  const auto [even_columns, odd_columns] = split_polyphase(images, kWidth);
  const auto [low_w, high_w] = scheme_->analyze(even_columns, odd_columns, kWidth);
  // Both width bands go through the height step in one call: [L_w | H_w].
  const torch::Tensor by_width = torch::cat({low_w, high_w}, 1);
  const auto [even_rows, odd_rows] = split_polyphase(by_width, kHeight);
  const auto [low_h, high_h] = scheme_->analyze(even_rows, odd_rows, kHeight);
  // low_h = [LL | HL], high_h = [LH | HH] (first letter: width, second: height).
  return torch::cat({low_h.narrow(1, 0, channels), high_h.narrow(1, 0, channels),
                     low_h.narrow(1, channels, channels), high_h.narrow(1, channels, channels)},
                    1);
}

torch::Tensor SeparableWavelet::synthesize(const torch::Tensor& bands) const {
  const int64_t channels = bands.size(1) / 4;
  const auto band = [&](int64_t index) { return bands.narrow(1, index * channels, channels); };
  const torch::Tensor low_h = torch::cat({band(0), band(2)}, 1);   // LL | HL
  const torch::Tensor high_h = torch::cat({band(1), band(3)}, 1);  // LH | HH
  const auto [even_rows, odd_rows] = scheme_->synthesize(low_h, high_h, kHeight);
  const torch::Tensor by_width = merge_polyphase(even_rows, odd_rows, kHeight);
  const auto [even_columns, odd_columns] =
      scheme_->synthesize(by_width.narrow(1, 0, channels), by_width.narrow(1, channels, channels),
                          kWidth);
  return merge_polyphase(even_columns, odd_columns, kWidth);
}

}  // namespace stegolab::wavelets
