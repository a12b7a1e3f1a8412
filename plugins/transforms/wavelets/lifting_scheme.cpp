#include "lifting_scheme.hpp"

#include <torch/torch.h>

namespace stegolab::wavelets {

torch::Tensor next_sample(const torch::Tensor& even, int64_t dim) {
  const int64_t size = even.size(dim);
  return torch::cat({even.narrow(dim, 1, size - 1), even.narrow(dim, size - 1, 1)}, dim);
}

torch::Tensor previous_sample(const torch::Tensor& high, int64_t dim) {
  const int64_t size = high.size(dim);
  return torch::cat({high.narrow(dim, 0, 1), high.narrow(dim, 0, size - 1)}, dim);
}

}  // namespace stegolab::wavelets
