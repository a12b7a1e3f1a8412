#include "report/rate_quality_report.hpp"

#include <algorithm>
#include <map>

#include "report/sweep_value.hpp"
#include "stegolab/bjontegaard.hpp"

namespace stegolab {

namespace {

// Rate and quality values of one point over the repeats that measured it.
struct PointValues {
  std::vector<double> rate, quality;
};

// curve name -> point name -> values; own curves are keyed apart from the
// references so that a reference never merges into a sweep.
using Curves = std::map<std::string, std::map<std::string, PointValues>>;

struct CollectedCurves {
  Curves own, reference;
  int64_t done = 0;
};

std::string values_text(const TrialRecord& trial, const std::vector<std::string>& paths) {
  std::string text;
  for (const auto& path : paths) {
    text += (text.empty() ? "" : ", ") + path + "=" + sweep_value_text(sweep_value(trial, path));
  }
  return text;
}

// "jpeg(q=50)" -> {"jpeg", "q=50"}; a label without "(...)" is its own curve.
std::pair<std::string, std::string> split_label(const std::string& label) {
  const auto open = label.find('(');
  if (open == std::string::npos || label.back() != ')') return {label, label};
  return {label.substr(0, open), label.substr(open + 1, label.size() - open - 2)};
}

void collect_trial(const TrialRecord& trial, const std::map<std::string, double>& finals,
                   const ReportSpec& spec, CollectedCurves& curves) {
  const auto rate = finals.find(spec.rate);
  const auto quality = finals.find(spec.quality);
  if (rate != finals.end() && quality != finals.end()) {
    const std::string curve = spec.cols.empty() ? "" : values_text(trial, spec.cols);
    PointValues& point = curves.own[curve][values_text(trial, spec.rows)];
    point.rate.push_back(rate->second);
    point.quality.push_back(quality->second);
  }
  const std::string prefix = spec.rate + "@";
  for (const auto& [name, value] : finals) {
    if (name.rfind(prefix, 0) != 0) continue;
    const std::string label = name.substr(prefix.size());
    const auto reference_quality = finals.find(spec.quality + "@" + label);
    if (reference_quality == finals.end()) continue;
    const auto [curve, setting] = split_label(label);
    PointValues& point = curves.reference[curve][setting];
    point.rate.push_back(value);
    point.quality.push_back(reference_quality->second);
  }
}

CollectedCurves collect(const ResultStore& store, const ExperimentRecord& experiment,
                        const ReportSpec& spec) {
  CollectedCurves curves;
  for (const auto& trial : store.trials(experiment.id)) {
    if (trial.status != TrialStatus::done) continue;
    ++curves.done;
    std::map<std::string, double> finals;
    for (const auto& row : store.final_metrics(trial.id)) {
      if (row.split == spec.split) finals[row.metric] = row.value;
    }
    collect_trial(trial, finals, spec, curves);
  }
  return curves;
}

std::string own_curve_name(const std::string& key) { return key.empty() ? "sweep" : key; }
std::string reference_curve_name(const std::string& key) { return "anchor " + key; }

std::string unit_of(const std::vector<MetricDeclaration>& conventions, const std::string& metric) {
  for (const auto& convention : conventions) {
    if (convention.name == metric) return convention.unit;
  }
  return "";
}

// One row per point, the points of a curve by their mean rate.
void add_curve_rows(ReportTable& table, const std::string& curve,
                    const std::map<std::string, PointValues>& points) {
  std::vector<std::pair<std::string, std::vector<ReportCell>>> rows;
  for (const auto& [point, values] : points) {
    std::vector<ReportCell> cells(2);
    cells[0].stats = summarize(values.rate);
    cells[1].stats = summarize(values.quality);
    rows.emplace_back(point, cells);
  }
  std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return a.second[0].stats.mean < b.second[0].stats.mean;
  });
  for (auto& [point, cells] : rows) {
    table.row_keys.push_back({curve, point});
    table.cells.push_back({cells});
  }
}

ReportTable points_table(const CollectedCurves& curves, const ReportSpec& spec,
                         const std::vector<MetricDeclaration>& conventions) {
  ReportTable table;
  table.spec = spec;
  table.spec.rows = {"curve", "point"};
  table.spec.cols = {};
  table.spec.metrics = {spec.rate, spec.quality};
  table.spec.caption = "";
  table.col_keys = {std::vector<nlohmann::json>{}};
  table.units = {unit_of(conventions, spec.rate), unit_of(conventions, spec.quality)};
  for (const auto& [key, points] : curves.own) add_curve_rows(table, own_curve_name(key), points);
  for (const auto& [key, points] : curves.reference) {
    add_curve_rows(table, reference_curve_name(key), points);
  }
  return table;
}

// The mean points of a curve, for the fit.
RateQualityCurve mean_curve(const std::map<std::string, PointValues>& points) {
  RateQualityCurve curve;
  for (const auto& [name, values] : points) {
    const auto rate = summarize(values.rate);
    const auto quality = summarize(values.quality);
    if (rate.n == 0 || quality.n == 0) continue;
    curve.rate.push_back(rate.mean);
    curve.quality.push_back(quality.mean);
  }
  return curve;
}

ReportTable bd_rate_table(const CollectedCurves& curves, const ReportSpec& spec,
                          std::vector<std::string>& warnings) {
  ReportTable table;
  table.spec = spec;
  table.spec.rows = {"curve"};
  table.spec.cols = {"anchor"};
  // VCEG-M33's one cubic per curve, and the piecewise cubic of later practice
  // (docs/compression.md: they part when a curve flattens).
  table.spec.metrics = {"bd_rate_percent", "bd_rate_pchip_percent"};
  table.spec.caption = "";
  table.units = {"%", "%"};
  if (curves.reference.empty()) return table;
  for (const auto& [key, points] : curves.reference) {
    table.col_keys.push_back({reference_curve_name(key)});
  }
  for (const auto& [own_key, own_points] : curves.own) {
    table.row_keys.push_back({own_curve_name(own_key)});
    std::vector<std::vector<ReportCell>> row;
    for (const auto& [reference_key, reference_points] : curves.reference) {
      const RateQualityCurve anchor = mean_curve(reference_points), own = mean_curve(own_points);
      std::vector<ReportCell> cells;
      for (auto* bd_rate : {&bd_rate_percent, &bd_rate_pchip_percent}) {
        ReportCell cell;
        try {
          cell.stats = summarize({bd_rate(anchor, own)});
        } catch (const Error& error) {
          const std::string warning = own_curve_name(own_key) + " against " +
                                      reference_curve_name(reference_key) + ": " + error.what();
          // Both methods refuse curves that do not overlap: say it once.
          if (warnings.empty() || warnings.back() != warning) warnings.push_back(warning);
        }
        cells.push_back(cell);
      }
      row.push_back(cells);
    }
    table.cells.push_back(row);
  }
  return table;
}

}  // namespace

RateQualityReport RateQualityReport::build(const ResultStore& store,
                                           const ExperimentRecord& experiment,
                                           const ReportSpec& spec) {
  const CollectedCurves curves = collect(store, experiment, spec);
  const std::string where =
      "results database '" + store.file().string() + "', experiment '" + experiment.name + "'";
  if (curves.done == 0) throw ReportError(where + " has no finished (done) trials to report");
  if (curves.own.empty()) {
    throw ReportError(where + ": no done trial has both '" + spec.rate + "' and '" +
                      spec.quality + "' in split '" + split_name(spec.split) + "'");
  }
  RateQualityReport report;
  const auto conventions = store.conventions();
  report.points = points_table(curves, spec, conventions);
  report.bd_rate = bd_rate_table(curves, spec, report.warnings);
  return report;
}

std::vector<ChartSeries> RateQualityReport::chart_series() const {
  std::vector<ChartSeries> series;
  for (size_t r = 0; r < points.row_keys.size(); ++r) {
    const std::string curve = sweep_value_text(points.row_keys[r][0]);
    if (series.empty() || series.back().name != curve) series.push_back({curve, {}, {}});
    const auto& cells = points.cells[r][0];
    if (cells[0].stats.n == 0 || cells[1].stats.n == 0) continue;
    series.back().x.push_back(cells[0].stats.mean);
    series.back().y.push_back(cells[1].stats.mean);
  }
  series.erase(std::remove_if(series.begin(), series.end(),
                              [](const ChartSeries& s) { return s.x.empty(); }),
               series.end());
  return series;
}

}  // namespace stegolab
