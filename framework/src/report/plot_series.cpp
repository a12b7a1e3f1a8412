#include "report/plot_series.hpp"

#include <map>

#include "report/report_table.hpp"
#include "report/summary_statistics.hpp"
#include "report/sweep_value.hpp"
#include "report/throughput_field.hpp"

namespace stegolab {

namespace {

using Points = std::map<double, std::vector<double>>;  // x -> values over repeats

std::string group_name(const TrialRecord& trial, const std::string& group,
                       const std::string& fallback) {
  if (group.empty()) return fallback;
  return group + "=" + sweep_value_text(sweep_value(trial, group));
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
  for (const auto& trial : store.trials(experiment.id)) {
    const nlohmann::json key = group.empty() ? nlohmann::json() : sweep_value(trial, group);
    auto& named = groups[key];
    named.first = group_name(trial, group, metric);
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
  for (const auto& trial : store.trials(experiment.id)) {
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
    const nlohmann::json key = group.empty() ? nlohmann::json() : sweep_value(trial, group);
    auto& named = groups[key];
    named.first = group_name(trial, group, y);
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
