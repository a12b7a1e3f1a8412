// ReportTable: one comparison table of an experiment, aggregated over repeats.
// Rows and columns are sweep paths; each cell holds, per metric, the mean,
// standard deviation and count over the finished trials that share the row
// and column values. Rendering is TableRenderer's job.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/report_spec.hpp"
#include "report/summary_statistics.hpp"
#include "store/result_store.hpp"

namespace stegolab {

struct ReportCell {
  SummaryStatistics stats;
  bool best = false;  // the best mean of its metric over the table (ties: all)
};

struct ReportTable {
  ReportSpec spec;
  std::vector<std::vector<nlohmann::json>> row_keys;  // sorted; one value per spec.rows path
  std::vector<std::vector<nlohmann::json>> col_keys;  // sorted; {{}} when there are no cols
  std::vector<std::string> units;                     // per metric, from the conventions
  // cells[row][col][metric]; stats.n == 0 && nan_count == 0 means no trial.
  std::vector<std::vector<std::vector<ReportCell>>> cells;
  std::vector<std::string> warnings;  // e.g. a sweep axis averaged over

  // Builds the table from the done trials of one experiment. A metric is a
  // final metric of spec.split, else a throughput field (see
  // throughput_field.hpp; not-measured values are left out). Throws
  // ReportError naming the database when a metric exists in no trial.
  static ReportTable build(const ResultStore& store, const ExperimentRecord& experiment,
                           const ReportSpec& spec);
};

}  // namespace stegolab
