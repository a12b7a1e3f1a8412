#include "report/summary_statistics.hpp"

namespace stegolab {

SummaryStatistics summarize(const std::vector<double>& values) {
  SummaryStatistics stats;
  double sum = 0.0;
  for (const double value : values) {
    if (std::isnan(value)) {
      ++stats.nan_count;
    } else {
      sum += value;
      ++stats.n;
    }
  }
  if (stats.n == 0) return stats;
  stats.mean = sum / static_cast<double>(stats.n);
  if (stats.n < 2) return stats;
  double squares = 0.0;
  for (const double value : values) {
    if (!std::isnan(value)) squares += (value - stats.mean) * (value - stats.mean);
  }
  stats.std = std::sqrt(squares / static_cast<double>(stats.n - 1));
  return stats;
}

}  // namespace stegolab
