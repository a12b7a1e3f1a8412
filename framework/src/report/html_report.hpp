// The HTML report: one self-contained file (inline SVG charts, pictures as
// data: URLs, no script, no network) that shows an experiment to someone
// without stegolab: its description and provenance, its comparison tables
// with the best values marked, its curves, its galleries side by side, and
// every trial's configuration and events. Readable on a laptop, printable.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "report/line_chart.hpp"
#include "report/report_spec.hpp"
#include "store/result_store.hpp"

namespace stegolab {

struct NamedReport {
  std::string name;  // the declared report's name ("" for the command line's)
  ReportSpec spec;
  // A table nobody declared (the command line's, the default one): when its
  // spec names no rate and quality, the curves the task declared follow it.
  bool task_curves = false;
};

// The tables an HTML report shows: `command_line` when given (--rows), else
// every report the experiment declares, else one table of the task's
// metrics by the sweep axes that vary.
std::vector<NamedReport> html_report_tables(const ResultStore& store,
                                            const ExperimentRecord& experiment,
                                            const std::vector<NamedReport>& command_line);

// The document. Warnings (a table that cannot be made, a missing picture)
// go to `log` and into the page; nothing of them stops the report.
std::string render_html_report(const ResultStore& store, const ExperimentRecord& experiment,
                               const std::vector<NamedReport>& tables, std::ostream& log);

// The parts of the page, each a <section> (html_report_*.cpp).
std::string html_curves_section(const ResultStore& store, const ExperimentRecord& experiment,
                                const std::vector<NamedReport>& tables,
                                std::vector<std::string>& warnings);
std::string html_galleries_section(const ResultStore& store, const ExperimentRecord& experiment,
                                   std::vector<std::string>& warnings);
std::string html_trials_section(const ResultStore& store, const ExperimentRecord& experiment);
// The rate-quality curves after one table (rate_quality_sections.hpp): the
// points and BD-rate tables and the chart; "" when there are none.
std::string html_rate_quality(const ResultStore& store, const ExperimentRecord& experiment,
                              const NamedReport& report, std::vector<std::string>& warnings);
// The SVG document of a chart without its XML declaration, to sit inside HTML.
std::string inline_svg(const LineChart& chart);

// "<a>, <b>": the short name of a trial for captions (its varying sweep values, else its key).
std::string trial_label(const TrialRecord& trial, const std::vector<std::string>& varying);

}  // namespace stegolab
