// The search of the batch-size finder, apart from any measurement: the
// largest batch in [1, limit] for which `fits` holds, assuming that fitting
// is monotone (if b fits, every smaller batch fits).
#pragma once

#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

namespace stegolab {

struct BatchSearchResult {
  int64_t largest = 0;                          // 0: not even batch 1 fits
  std::vector<std::pair<int64_t, bool>> probes;  // (batch, fits) in the order tried
};

// Doubles from 1 until a batch does not fit (or `limit` is reached), then
// bisects between the last fitting and the first failing batch: about
// 2 log2(answer) probes, each batch probed at most once.
BatchSearchResult search_largest_batch(const std::function<bool(int64_t)>& fits, int64_t limit);

}  // namespace stegolab
