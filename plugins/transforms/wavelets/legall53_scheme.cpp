#include "legall53_scheme.hpp"

#include <torch/torch.h>

#include "stegolab/transform.hpp"

namespace stegolab::wavelets {

// Scaling by 1/2 and 1/4 is exact in binary floating point, so the integer
// variant's floor sees the exact quotient.
torch::Tensor LeGall53Scheme::predict(const torch::Tensor& even, int64_t dim) const {
  const torch::Tensor half_sum = (even + next_sample(even, dim)) * 0.5;
  return integer_ ? straight_through_floor(half_sum) : half_sum;
}

torch::Tensor LeGall53Scheme::update(const torch::Tensor& high, int64_t dim) const {
  const torch::Tensor sum = previous_sample(high, dim) + high;
  return integer_ ? straight_through_floor((sum + 2.0) * 0.25) : sum * 0.25;
}

std::pair<torch::Tensor, torch::Tensor> LeGall53Scheme::analyze(const torch::Tensor& even,
                                                                const torch::Tensor& odd,
                                                                int64_t dim) const {
  torch::Tensor high = odd - predict(even, dim);
  torch::Tensor low = even + update(high, dim);
  return {low, high};
}

// The lifting steps undone in reverse order: each subtracts exactly what
// analyze() added, rounding included.
std::pair<torch::Tensor, torch::Tensor> LeGall53Scheme::synthesize(const torch::Tensor& low,
                                                                   const torch::Tensor& high,
                                                                   int64_t dim) const {
  torch::Tensor even = low - update(high, dim);
  torch::Tensor odd = high + predict(even, dim);
  return {even, odd};
}

}  // namespace stegolab::wavelets
