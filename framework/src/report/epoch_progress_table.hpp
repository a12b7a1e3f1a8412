// EpochProgressTable: per trial, a few metrics of one split at the trial's
// first and at its last recorded epoch ("21.40 → 28.12"), so the end of a run
// shows at a glance whether training improved them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "store/result_store.hpp"

namespace stegolab {

struct EpochProgressRow {
  std::string trial;                        // the trial key
  int64_t first_epoch = 0, last_epoch = 0;  // 0-based, over the metrics shown
  std::vector<double> first, last;          // per metric; NaN when not recorded at that epoch
};

struct EpochProgressTable {
  std::vector<std::string> metrics;
  std::vector<std::string> units;  // per metric, from the stored conventions ("" when none)
  Split split = Split::val;
  std::vector<EpochProgressRow> rows;  // trials in id (run) order; those without rows left out

  // From the epoch_metrics of `experiment_id`'s trials.
  static EpochProgressTable build(const ResultStore& store, int64_t experiment_id,
                                  const std::vector<std::string>& metrics,
                                  Split split);
  // A titled Markdown table with 1-based epochs; "" when there are no rows.
  std::string markdown(int decimals) const;
};

}  // namespace stegolab
