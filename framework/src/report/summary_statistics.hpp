// Mean, sample standard deviation and count of the repeats behind one cell or point.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

namespace stegolab {

struct SummaryStatistics {
  double mean = NAN;
  double std = NAN;       // sample (n - 1) standard deviation; NaN when n < 2
  int64_t n = 0;          // finite values only
  int64_t nan_count = 0;  // NaN values left out (diverged repeats)
};

// NaN values are counted but left out: one diverged repeat must not turn a
// cell into NaN, and the count makes the omission visible. +-inf are kept.
SummaryStatistics summarize(const std::vector<double>& values);

}  // namespace stegolab
