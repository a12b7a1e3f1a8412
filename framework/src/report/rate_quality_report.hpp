// RateQualityReport: the rate-quality curves of an experiment and their
// Bjøntegaard delta rates, for a report entry that names "rate" and
// "quality" (e.g. bpp and psnr).
//
// The experiment's own curves: one per value of the entry's cols (one when
// it has none), a point per value of its rows, each the mean over the
// repeats of the final rate and quality of spec.split.
// Reference curves: metrics a task recorded as "<rate>@<curve>(<setting>)"
// beside "<quality>@<curve>(<setting>)" (e.g. bpp@jpeg(q=50) and
// psnr@jpeg(q=50)) make curve "<curve>", a point per setting, the mean over
// the done trials that recorded it: an anchor measured on the same images.
// A label without "(...)" is a curve of its own with one point.
#pragma once

#include <string>
#include <vector>

#include "report/line_chart.hpp"
#include "report/report_table.hpp"

namespace stegolab {

struct RateQualityReport {
  // rows: curve, point; metrics: rate, quality. Own curves first.
  ReportTable points;
  // rows: curve (the own ones); cols: anchor; metric: bd_rate_percent.
  // Empty (no rows) when the trials recorded no reference curve.
  ReportTable bd_rate;
  // BD-rates that could not be computed, and why (too few points, no overlap).
  std::vector<std::string> warnings;

  // Throws ReportError naming the database when no done trial has both
  // metrics. spec.rate and spec.quality must be set.
  static RateQualityReport build(const ResultStore& store, const ExperimentRecord& experiment,
                                 const ReportSpec& spec);

  // Every curve as a line of a chart: x = rate, y = quality, by rate.
  std::vector<ChartSeries> chart_series() const;
};

}  // namespace stegolab
