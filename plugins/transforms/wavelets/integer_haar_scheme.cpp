#include "integer_haar_scheme.hpp"

#include <torch/torch.h>

#include "stegolab/transform.hpp"

namespace stegolab::wavelets {

// Rounding goes through straight_through_floor so that training sees the
// gradient of the un-rounded step.
std::pair<torch::Tensor, torch::Tensor> IntegerHaarScheme::analyze(const torch::Tensor& even,
                                                                   const torch::Tensor& odd,
                                                                   int64_t /*dim*/) const {
  return {straight_through_floor((even + odd) * 0.5), even - odd};
}

// With s = floor((a + b)/2) and d = a - b: a + b = 2s + (d mod 2), so
// b = s - floor(d / 2) and a = b + d.
std::pair<torch::Tensor, torch::Tensor> IntegerHaarScheme::synthesize(const torch::Tensor& low,
                                                                      const torch::Tensor& high,
                                                                      int64_t /*dim*/) const {
  torch::Tensor odd = low - straight_through_floor(high * 0.5);
  torch::Tensor even = odd + high;
  return {even, odd};
}

}  // namespace stegolab::wavelets
