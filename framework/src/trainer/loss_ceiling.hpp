// The divergence guard's notion of an exploding loss: a finite loss far above
// what the run has recently seen. The threshold follows the recent losses
// (their median, robust to the odd spike) because a loss legitimately
// grows while its hiding weight ramps up.
#pragma once

#include <cstddef>
#include <deque>
#include <vector>

namespace stegolab {

class LossCeiling {
 public:
  // factor: a loss above factor x the median of the last `window` applied
  // losses is an explosion; 0 disables the check. No ceiling until
  // `min_samples` losses were seen, or while the median is not positive.
  explicit LossCeiling(double factor = 20.0, std::size_t window = 32, std::size_t min_samples = 8);

  // The loss of an applied step (finite).
  void add(double loss);
  // The current ceiling; +infinity when there is none.
  double ceiling() const;
  // The losses it remembers, oldest first, as a checkpoint keeps them.
  std::vector<double> recent() const { return {recent_.begin(), recent_.end()}; }
  void set_recent(const std::vector<double>& losses);

 private:
  double factor_;
  std::size_t window_;
  std::size_t min_samples_;
  std::deque<double> recent_;
};

}  // namespace stegolab
