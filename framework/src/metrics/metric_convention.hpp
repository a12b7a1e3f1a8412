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
  std::string range;  // the values it can take, e.g. "0-100" (PSNR, capped), "0-1"; "" unbounded
  std::string colour_space;  // image metrics: "RGB" or "Y (BT.601 full range)"; "" otherwise
  std::string quantised;     // image metrics: "8-bit" or "float"; "" otherwise
};

// Every metric the trainer and the metrics module produce.
const std::vector<MetricConvention>& metric_conventions();

// The convention of `metric` (loss terms match "loss/<term>"), if known.
std::optional<MetricConvention> find_metric_convention(const std::string& metric);

}  // namespace stegolab
