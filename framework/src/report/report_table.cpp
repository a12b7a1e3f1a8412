#include "report/report_table.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "report/metric_direction.hpp"
#include "report/sweep_value.hpp"
#include "report/table_cells.hpp"
#include "report/throughput_field.hpp"

namespace stegolab {

ReportTable ReportTable::build(const ResultStore& store, const ExperimentRecord& experiment,
                               const ReportSpec& spec) {
  const std::string where =
      "results database '" + store.file().string() + "', experiment '" + experiment.name + "'";
  if (spec.rows.empty()) throw ReportError("report of " + where + ": no --rows sweep path given");
  if (spec.metrics.empty()) throw ReportError("report of " + where + ": no --metrics given");
  if (spec.decimals < 0 || spec.decimals > 12) {
    throw ReportError("report of " + where + ": decimals must be between 0 and 12");
  }
  ReportTable table;
  table.spec = spec;
  const size_t metric_count = spec.metrics.size();

  // Per (row key, col key): the values of every metric over the repeats.
  using Key = std::vector<nlohmann::json>;
  std::map<std::pair<Key, Key>, std::vector<std::vector<double>>> values;
  std::set<Key> rows, cols;
  std::vector<bool> metric_seen(metric_count, false);
  std::set<std::string> available;
  std::set<std::string> averaged_axes;
  int64_t done = 0;
  for (const auto& trial : store.trials(experiment.id)) {
    if (trial.status != TrialStatus::done) continue;
    ++done;
    Key row = table_row_values(trial, spec.rows), col;
    for (const auto& path : spec.cols) col.push_back(sweep_value(trial, path));
    if (trial.sweep_point.is_object()) {
      for (const auto& axis : trial.sweep_point.items()) {
        if (std::find(spec.rows.begin(), spec.rows.end(), axis.key()) == spec.rows.end() &&
            std::find(spec.cols.begin(), spec.cols.end(), axis.key()) == spec.cols.end()) {
          averaged_axes.insert(axis.key());
        }
      }
    }
    std::map<std::string, double> finals;
    for (const auto& row_metric : store.final_metrics(trial.id)) {
      if (row_metric.split == spec.split) finals[row_metric.metric] = row_metric.value;
      available.insert(row_metric.metric);
    }
    const auto tp = store.throughput(trial.id);
    auto& cell = values[{row, col}];
    cell.resize(metric_count);
    for (size_t m = 0; m < metric_count; ++m) {
      const std::string& metric = spec.metrics[m];
      const auto found = finals.find(metric);
      if (found != finals.end()) {
        cell[m].push_back(found->second);
        metric_seen[m] = true;
      } else if (const auto value = tp ? throughput_value(*tp, metric) : std::nullopt) {
        metric_seen[m] = true;
        // NaN here means "not measured", not a diverged repeat.
        if (!std::isnan(*value)) cell[m].push_back(*value);
      }
    }
    rows.insert(row);
    cols.insert(col);
  }
  if (done == 0) throw ReportError(where + " has no finished (done) trials to report");
  std::string throughput_names;
  for (const auto& name : throughput_field_names()) {
    throughput_names += (throughput_names.empty() ? "" : ", ") + name;
  }
  for (size_t m = 0; m < metric_count; ++m) {
    if (metric_seen[m]) continue;
    std::string known;
    for (const auto& name : available) known += (known.empty() ? "" : ", ") + name;
    throw ReportError(where + ": no done trial has metric '" + spec.metrics[m] + "' in split '" +
                      split_name(spec.split) + "' or in its throughput; final metrics: " +
                      (known.empty() ? std::string("none") : known) + "; throughput: " +
                      throughput_names + " (images_per_s means train_images_per_s)");
  }
  for (const auto& axis : averaged_axes) {
    table.warnings.push_back("sweep axis '" + axis +
                             "' is in neither rows nor cols: cells average over its values");
  }
  table.row_keys.assign(rows.begin(), rows.end());
  table.col_keys.assign(cols.begin(), cols.end());

  const auto conventions = store.conventions();
  for (const auto& metric : spec.metrics) {
    std::string unit;
    for (const auto& convention : conventions) {
      if (convention.name == metric) unit = convention.unit;
    }
    table.units.push_back(unit);
  }
  table.cells.assign(table.row_keys.size(),
                     std::vector<std::vector<ReportCell>>(table.col_keys.size(),
                                                          std::vector<ReportCell>(metric_count)));
  for (size_t r = 0; r < table.row_keys.size(); ++r) {
    for (size_t c = 0; c < table.col_keys.size(); ++c) {
      const auto found = values.find({table.row_keys[r], table.col_keys[c]});
      if (found == values.end()) continue;
      for (size_t m = 0; m < metric_count; ++m) {
        table.cells[r][c][m].stats = summarize(found->second[m]);
      }
    }
  }
  // Best per metric over the whole table, compared as displayed, so that
  // cells that read the same are all marked.
  for (size_t m = 0; m < metric_count; ++m) {
    const std::string direction = metric_direction(spec.metrics[m], conventions);
    if (direction.empty()) continue;
    bool have = false;
    double best = 0.0;
    for (const auto& row : table.cells) {
      for (const auto& cell : row) {
        const double mean = cell[m].stats.mean;
        if (cell[m].stats.n == 0 || std::isnan(mean)) continue;
        const double shown = std::stod(fixed_decimals(mean, spec.decimals));
        if (!have || (direction == "higher" ? shown > best : shown < best)) best = shown;
        have = true;
      }
    }
    for (auto& row : table.cells) {
      for (auto& cell : row) {
        const double mean = cell[m].stats.mean;
        cell[m].best = have && cell[m].stats.n > 0 && !std::isnan(mean) &&
                       std::stod(fixed_decimals(mean, spec.decimals)) == best;
      }
    }
  }
  return table;
}

}  // namespace stegolab
