// HaarScheme: the orthonormal Haar filter bank, low = (a + b)/sqrt(2),
// high = (a - b)/sqrt(2). Two passes give LL = (a + b + c + d)/2 and
// preserve the signal's energy.
#pragma once

#include "lifting_scheme.hpp"

namespace stegolab::wavelets {

class HaarScheme : public LiftingScheme {
 public:
  std::pair<torch::Tensor, torch::Tensor> analyze(const torch::Tensor& even,
                                                  const torch::Tensor& odd,
                                                  int64_t dim) const override;
  std::pair<torch::Tensor, torch::Tensor> synthesize(const torch::Tensor& low,
                                                     const torch::Tensor& high,
                                                     int64_t dim) const override;
  bool is_integer() const override { return false; }
};

}  // namespace stegolab::wavelets
