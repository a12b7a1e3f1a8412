#include "haar_scheme.hpp"

#include <cmath>

#include <torch/torch.h>

namespace stegolab::wavelets {

namespace {
const double kInverseSqrt2 = 1.0 / std::sqrt(2.0);
}

std::pair<torch::Tensor, torch::Tensor> HaarScheme::analyze(const torch::Tensor& even,
                                                            const torch::Tensor& odd,
                                                            int64_t /*dim*/) const {
  return {(even + odd) * kInverseSqrt2, (even - odd) * kInverseSqrt2};
}

// The matrix [[1, 1], [1, -1]] / sqrt(2) is its own inverse.
std::pair<torch::Tensor, torch::Tensor> HaarScheme::synthesize(const torch::Tensor& low,
                                                               const torch::Tensor& high,
                                                               int64_t dim) const {
  return analyze(low, high, dim);
}

}  // namespace stegolab::wavelets
