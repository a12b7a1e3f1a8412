// ReportTable: one comparison table of an experiment, aggregated over repeats.
// Rows and columns are sweep paths; each cell holds, per metric, the mean,
// standard deviation and count over the finished trials that share the row
// and column values. Rendering is TableRenderer's job.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/summary_statistics.hpp"
#include "store/result_store.hpp"

namespace stegolab {

// A report cannot be made as asked (unknown metric, experiment, format...).
class ReportError : public Error {
 public:
  using Error::Error;
};

struct ReportSpec {
  std::vector<std::string> rows;     // sweep paths, e.g. {"transform.plugin"}
  std::vector<std::string> cols;     // sweep paths, may be empty
  std::vector<std::string> metrics;  // final metrics of `split`, or throughput fields
  std::string split = "test";
  int decimals = 2;
  std::string format = "markdown";   // markdown | latex | csv
  std::string caption, label;

  // From one entry of the experiment JSON's "reports" list (the keys of the
  // command-line options); `where` names it in errors.
  static ReportSpec from_json(const nlohmann::json& entry, const std::string& where);
};

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

  // Metrics the throughput table provides (and any numeric key of its extra).
  static bool is_throughput_metric(const std::string& metric);

  // Builds the table from the done trials of one experiment. Throws
  // ReportError naming the database when a metric exists in no trial.
  static ReportTable build(const ResultStore& store, const ExperimentRecord& experiment,
                           const ReportSpec& spec);
};

}  // namespace stegolab
