// IntegerHaarScheme: the S-transform, an integer-to-integer Haar:
// low = floor((a + b) / 2), high = a - b. Exactly invertible because
// a + b and a - b have the same parity.
#pragma once

#include "lifting_scheme.hpp"

namespace stegolab::wavelets {

class IntegerHaarScheme : public LiftingScheme {
 public:
  std::pair<torch::Tensor, torch::Tensor> analyze(const torch::Tensor& even,
                                                  const torch::Tensor& odd,
                                                  int64_t dim) const override;
  std::pair<torch::Tensor, torch::Tensor> synthesize(const torch::Tensor& low,
                                                     const torch::Tensor& high,
                                                     int64_t dim) const override;
  bool is_integer() const override { return true; }
};

}  // namespace stegolab::wavelets
