#include "data/repeated_samples.hpp"

#include <torch/torch.h>

namespace stegolab {

int64_t samples_before_repeats(int64_t count, int64_t times) {
  return times <= 1 ? count : (count + times - 1) / times;
}

TensorMap repeat_samples(const TensorMap& samples, int64_t times, int64_t count) {
  if (times <= 1) return samples;
  TensorMap repeated;
  for (const auto& [name, indices] : samples.entries()) {
    repeated.set(name, indices.repeat_interleave(times).slice(0, 0, count));
  }
  return repeated;
}

}  // namespace stegolab
