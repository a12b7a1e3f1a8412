#include "report/plot_series.hpp"

#include <map>
#include <set>

#include "report/report_table.hpp"
#include "report/summary_statistics.hpp"
#include "report/sweep_value.hpp"
#include "report/throughput_field.hpp"

namespace stegolab {

namespace {

using Points = std::map<double, std::vector<double>>;  // x -> values over repeats

// The sweep paths that make the lines (see the header); `x`, the plot's
// own axis, never does.
std::vector<std::string> grouping_paths(const std::vector<TrialRecord>& trials,
                                        const std::string& group, const std::string& x = "") {
  if (group == "none") return {};
  if (!group.empty()) return {group};
  return varying_sweep_paths(trials, x);
}

nlohmann::json group_key(const TrialRecord& trial, const std::vector<std::string>& paths) {
  nlohmann::json key = nlohmann::json::array();
  for (const std::string& path : paths) key.push_back(sweep_value(trial, path));
  return key;
}

// "transform.plugin=haar_dwt, train.batch_size=8"; `fallback` for one line.
std::string group_name(const TrialRecord& trial, const std::vector<std::string>& paths,
                       const std::string& fallback) {
  if (paths.empty()) return fallback;
  std::string name;
  for (const std::string& path : paths) {
    name += (name.empty() ? "" : ", ") + path + "=" + sweep_value_text(sweep_value(trial, path));
  }
  return name;
}

std::vector<ChartSeries> to_series(
    const std::map<nlohmann::json, std::pair<std::string, Points>>& groups) {
  std::vector<ChartSeries> result;
  for (const auto& [key, named] : groups) {
    ChartSeries line;
    line.name = named.first;
    for (const auto& [x, values] : named.second) {
      const auto stats = summarize(values);
      if (stats.n == 0) continue;
      line.x.push_back(x);
      line.y.push_back(stats.mean);
    }
    if (!line.x.empty()) result.push_back(std::move(line));
  }
  return result;
}

}  // namespace

std::vector<ChartSeries> metric_by_epoch(const ResultStore& store,
                                         const ExperimentRecord& experiment,
                                         const std::string& metric, Split split,
                                         const std::string& group) {
  std::map<nlohmann::json, std::pair<std::string, Points>> groups;
  const std::vector<TrialRecord> trials = store.trials(experiment.id);
  const std::vector<std::string> paths = grouping_paths(trials, group);
  for (const auto& trial : trials) {
    auto& named = groups[group_key(trial, paths)];
    named.first = group_name(trial, paths, metric);
    for (const auto& row : store.epoch_metrics(trial.id)) {
      if (row.metric == metric && row.split == split) {
        // Epochs as users count them (from 1); the stored column is 0-based.
        named.second[static_cast<double>(row.epoch + 1)].push_back(row.value);
      }
    }
  }
  auto series = to_series(groups);
  if (series.empty()) {
    throw ReportError("results database '" + store.file().string() + "', experiment '" +
                      experiment.name + "': no epoch has a finite '" + metric + "' in split '" +
                      split_name(split) + "'");
  }
  return series;
}

std::vector<ChartSeries> metric_by_sweep_value(const ResultStore& store,
                                               const ExperimentRecord& experiment,
                                               const std::string& x, const std::string& y,
                                               const std::string& group) {
  std::map<nlohmann::json, std::pair<std::string, Points>> groups;
  const std::vector<TrialRecord> trials = store.trials(experiment.id);
  const std::vector<std::string> paths = grouping_paths(trials, group, x);
  for (const auto& trial : trials) {
    if (trial.status != TrialStatus::done) continue;
    const nlohmann::json x_value = sweep_value(trial, x);
    if (!x_value.is_number()) {
      throw ReportError("results database '" + store.file().string() + "': trial " +
                        std::to_string(trial.id) + " has no numeric value for '" + x + "' (got " +
                        sweep_value_text(x_value) + ")");
    }
    double value = NAN;
    bool found = false;
    if (is_throughput_field(y)) {
      if (const auto tp = store.throughput(trial.id)) {
        found = true;
        value = *throughput_value(*tp, y);
      }
    } else {
      for (const auto& row : store.final_metrics(trial.id)) {
        if (row.metric == y && row.split == Split::test) {
          value = row.value;
          found = true;
        }
      }
    }
    if (!found) continue;
    auto& named = groups[group_key(trial, paths)];
    named.first = group_name(trial, paths, y);
    named.second[x_value.get<double>()].push_back(value);
  }
  auto series = to_series(groups);
  if (series.empty()) {
    throw ReportError("results database '" + store.file().string() + "', experiment '" +
                      experiment.name + "': no done trial has a finite '" + y + "'");
  }
  return series;
}

}  // namespace stegolab
