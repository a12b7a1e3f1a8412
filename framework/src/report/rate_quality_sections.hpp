// Which rate-quality curves a report shows after a table, and their text.
// A report entry that names "rate" and "quality" shows those; a table that
// names none (made on the command line, or the HTML report's table of an
// experiment without "reports") shows the pairs the trials' task declared
// (PluginInfo::rate_quality, recorded with each trial's plugins), so the
// core needs no task's words to show them.
#pragma once

#include <string>
#include <vector>

#include "report/report_spec.hpp"
#include "stegolab/metric_declaration.hpp"
#include "store/result_store.hpp"

namespace stegolab {

// The pairs the done trials' plugins recorded, in order, each once.
std::vector<RateQualityPair> recorded_rate_quality_pairs(const ResultStore& store,
                                                         const ExperimentRecord& experiment);

// The curves to show after the table `table` makes: `table` itself when it
// names a rate and a quality; else, with `task_pairs`, one spec per recorded
// pair (the table's rows, cols, split, decimals and format); else none.
std::vector<ReportSpec> rate_quality_specs(const ResultStore& store,
                                           const ExperimentRecord& experiment,
                                           const ReportSpec& table, bool task_pairs);

// The curves' points, then their BD-rates when the trials recorded a
// reference curve, each a table in spec.format. Throws ReportError when no
// done trial has both metrics; BD-rates that cannot be computed add to
// `warnings`.
std::string render_rate_quality(const ResultStore& store, const ExperimentRecord& experiment,
                                const ReportSpec& spec, std::vector<std::string>& warnings);

// The curves after an ad-hoc table (`task_pairs` as above): a spec the user
// named fails with ReportError; a task's pair whose metrics the trials lack
// (another split) becomes a warning.
std::string render_rate_quality_after(const ResultStore& store, const ExperimentRecord& experiment,
                                      const ReportSpec& table, bool task_pairs,
                                      std::vector<std::string>& warnings);

}  // namespace stegolab
