// ReportSpec: what one comparison table shows, from the command line or from
// an entry of an experiment's "reports" list.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "stegolab/errors.hpp"
#include "store/result_records.hpp"

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
  Split split = Split::test;
  int decimals = 2;
  std::string format = "markdown";  // markdown | latex | csv
  std::string caption, label;
  // Both set: the report adds the rate-quality curves and their BD-rates
  // (rate_quality_report.hpp), e.g. rate "bpp", quality "psnr".
  std::string rate, quality;

  // One entry of an experiment's "reports" list, checked completely (known
  // keys, types, values), so that a mistake shows when the experiment is
  // loaded, not after its trials ran.
  // Throws ReportError "<where>: <json_path>.<key>: <what was expected>",
  // e.g. "x.json: reports[1].format: expected ...".
  static ReportSpec from_json(const nlohmann::json& entry, const std::string& where,
                              const std::string& json_path);
};

}  // namespace stegolab
