// What each metric the trainer records means, for the result store (written
// into the database next to the results) and for choosing the best epoch.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace stegolab {

struct MetricConvention {
  std::string metric;       // as in MetricRow::metric; "loss/<term>" stands for every loss term
  std::string description;  // how it is computed, including averaging and caps
  std::string unit;         // "dB", "", "0-255", "fraction", "images/s", ...
  std::string better;       // "higher" | "lower" | "" (neither, e.g. the learning rate)
  // Typed facts, stored in their own database columns. Unset where they do
  // not apply (a learning rate has no colour space) or are unbounded.
  std::optional<double> range_min, range_max;
  std::string colour_space;       // image metrics: "RGB" or "Y" (BT.601 full-range luma); else ""
  std::optional<bool> quantised;  // image metrics: compared as 8-bit values (true) or float (false)
};

// Every metric the trainer and the metrics module produce.
const std::vector<MetricConvention>& metric_conventions();

// The convention of `metric` (loss terms match "loss/<term>"), if known.
std::optional<MetricConvention> find_metric_convention(const std::string& metric);

}  // namespace stegolab
