#include "trainer/loss_ceiling.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace stegolab {

LossCeiling::LossCeiling(double factor, std::size_t window, std::size_t min_samples)
    : factor_(factor), window_(std::max<std::size_t>(window, 1)), min_samples_(min_samples) {}

void LossCeiling::add(double loss) {
  if (!std::isfinite(loss)) return;
  recent_.push_back(loss);
  if (recent_.size() > window_) recent_.pop_front();
}

void LossCeiling::set_recent(const std::vector<double>& losses) {
  recent_.clear();
  for (const double loss : losses) add(loss);
}

double LossCeiling::ceiling() const {
  constexpr double kNone = std::numeric_limits<double>::infinity();
  if (factor_ <= 0.0 || recent_.empty() || recent_.size() < min_samples_) return kNone;
  std::vector<double> sorted(recent_.begin(), recent_.end());
  const auto middle = sorted.begin() + static_cast<std::ptrdiff_t>(sorted.size() / 2);
  std::nth_element(sorted.begin(), middle, sorted.end());
  const double median = *middle;
  return median > 0.0 ? factor_ * median : kNone;
}

}  // namespace stegolab
