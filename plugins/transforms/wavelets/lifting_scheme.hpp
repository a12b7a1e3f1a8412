// LiftingScheme: one level of a 1-D two-channel filter bank, written as
// lifting steps on the even and odd samples along one tensor dimension.
#pragma once

#include <cstdint>
#include <utility>

#include <torch/types.h>

namespace stegolab::wavelets {

class LiftingScheme {
 public:
  virtual ~LiftingScheme() = default;

  // even, odd: the samples 2n and 2n+1 along `dim` (same shape). Returns
  // (low, high), each of that shape.
  virtual std::pair<torch::Tensor, torch::Tensor> analyze(const torch::Tensor& even,
                                                          const torch::Tensor& odd,
                                                          int64_t dim) const = 0;
  // Exact inverse of analyze(): (low, high) -> (even, odd).
  virtual std::pair<torch::Tensor, torch::Tensor> synthesize(const torch::Tensor& low,
                                                             const torch::Tensor& high,
                                                             int64_t dim) const = 0;
  // True when analyze() maps integers to integers (floor rounding in each step).
  virtual bool is_integer() const = 0;
};

// Whole-sample symmetric extension (mirror about the edge sample, without
// repeating it: x[-1] = x[1], x[N] = x[N-2]) seen from the polyphase parts
// of an even-length signal:
// next_sample(even)[n] = x[2n+2], whose last entry x[N] = x[N-2] repeats the last even sample;
torch::Tensor next_sample(const torch::Tensor& even, int64_t dim);
// previous_sample(high)[n] = high[n-1], whose first entry high[-1] = high[0]
// (x[-1] = x[1] makes the high-pass output symmetric about n = -1/2).
torch::Tensor previous_sample(const torch::Tensor& high, int64_t dim);

}  // namespace stegolab::wavelets
