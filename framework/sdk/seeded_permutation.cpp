#include "stegolab/seeded_permutation.hpp"

#include <random>
#include <utility>

namespace stegolab {

uint64_t derive_seed(uint64_t seed, uint64_t stream) {
  uint64_t z = seed + 0x9E3779B97F4A7C15ULL * (stream + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

torch::Tensor seeded_permutation(const torch::Tensor& values, uint64_t seed) {
  torch::Tensor result = values.to(torch::kLong).contiguous().clone();
  int64_t* data = result.data_ptr<int64_t>();
  std::mt19937_64 engine(seed);
  // Fisher-Yates with an explicit modulo draw: std::uniform_int_distribution
  // differs between standard libraries, the engine's raw output does not.
  for (int64_t i = result.numel() - 1; i > 0; --i) {
    const auto j = static_cast<int64_t>(engine() % static_cast<uint64_t>(i + 1));
    std::swap(data[i], data[j]);
  }
  return result;
}

}  // namespace stegolab
