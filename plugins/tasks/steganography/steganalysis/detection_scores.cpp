#include "detection_scores.hpp"

#include <algorithm>
#include <utility>

#include "stegolab/errors.hpp"

namespace stegolab::steganography {

namespace {

void check_sets(const std::vector<double>& negatives, const std::vector<double>& positives) {
  if (negatives.empty() || positives.empty()) {
    throw Error("steganalysis: scoring a detector needs images of both sets, got " +
                std::to_string(negatives.size()) + " and " + std::to_string(positives.size()));
  }
}

// Every score with its set (true: positive), in ascending score order.
std::vector<std::pair<double, bool>> sorted_scores(const std::vector<double>& negatives,
                                                   const std::vector<double>& positives) {
  std::vector<std::pair<double, bool>> all;
  all.reserve(negatives.size() + positives.size());
  for (const double s : negatives) all.emplace_back(s, false);
  for (const double s : positives) all.emplace_back(s, true);
  std::sort(all.begin(), all.end());
  return all;
}

}  // namespace

double roc_auc(const std::vector<double>& negatives, const std::vector<double>& positives) {
  check_sets(negatives, positives);
  const auto all = sorted_scores(negatives, positives);
  double positive_rank_sum = 0.0;
  for (size_t first = 0; first < all.size();) {
    size_t last = first;
    while (last + 1 < all.size() && all[last + 1].first == all[first].first) ++last;
    // Ranks are 1-based; a run of ties shares the mean of its ranks.
    const double mean_rank = (static_cast<double>(first + 1) + static_cast<double>(last + 1)) / 2;
    for (size_t i = first; i <= last; ++i) {
      if (all[i].second) positive_rank_sum += mean_rank;
    }
    first = last + 1;
  }
  const double n = static_cast<double>(positives.size());
  const double m = static_cast<double>(negatives.size());
  return (positive_rank_sum - n * (n + 1) / 2) / (n * m);
}

double min_error_accuracy(const std::vector<double>& negatives,
                          const std::vector<double>& positives) {
  check_sets(negatives, positives);
  const auto all = sorted_scores(negatives, positives);
  const double n = static_cast<double>(positives.size());
  const double m = static_cast<double>(negatives.size());
  // Threshold below every score: every negative is a false alarm.
  double false_alarms = m;
  double misses = 0;
  double best = 0.5 * (false_alarms / m + misses / n);
  for (size_t first = 0; first < all.size();) {
    size_t last = first;
    while (last + 1 < all.size() && all[last + 1].first == all[first].first) ++last;
    // Threshold at this score: the whole run of ties is now at or below it.
    for (size_t i = first; i <= last; ++i) {
      if (all[i].second) {
        misses += 1;
      } else {
        false_alarms -= 1;
      }
    }
    best = std::min(best, 0.5 * (false_alarms / m + misses / n));
    first = last + 1;
  }
  return 1.0 - best;
}

double threshold_accuracy(const std::vector<double>& negatives,
                          const std::vector<double>& positives, double threshold) {
  check_sets(negatives, positives);
  double right_negatives = 0;
  double right_positives = 0;
  for (const double s : negatives) right_negatives += s <= threshold ? 1 : 0;
  for (const double s : positives) right_positives += s > threshold ? 1 : 0;
  return 0.5 * (right_negatives / static_cast<double>(negatives.size()) +
                right_positives / static_cast<double>(positives.size()));
}

}  // namespace stegolab::steganography
