#include "report/epoch_progress_table.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>

#include "metrics/metric_convention.hpp"

namespace stegolab {

namespace {

std::string rounded(double value, int decimals) {
  if (std::isnan(value)) return "-";
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

// Display width in characters: "→" is three UTF-8 bytes but one column.
size_t columns(const std::string& text) {
  size_t count = 0;
  for (const unsigned char c : text) count += (c & 0xC0) != 0x80;
  return count;
}

}  // namespace

EpochProgressTable EpochProgressTable::build(const ResultStore& store, int64_t experiment_id,
                                             const std::vector<std::string>& metrics,
                                             Split split) {
  EpochProgressTable table;
  table.metrics = metrics;
  table.split = split;
  const std::vector<MetricConvention> conventions = store.conventions();
  for (const auto& metric : metrics) {
    const auto convention = find_metric_convention(conventions, metric);
    table.units.push_back(convention ? convention->unit : std::string());
  }
  for (const auto& trial : store.trials(experiment_id)) {
    // epoch -> metric -> value, only the metrics shown.
    std::map<int64_t, std::map<std::string, double>> by_epoch;
    for (const auto& row : store.epoch_metrics(trial.id)) {
      if (row.split != split) continue;
      if (std::find(metrics.begin(), metrics.end(), row.metric) == metrics.end()) continue;
      by_epoch[row.epoch][row.metric] = row.value;
    }
    if (by_epoch.empty()) continue;
    EpochProgressRow row;
    row.trial = trial.key;
    row.first_epoch = by_epoch.begin()->first;
    row.last_epoch = by_epoch.rbegin()->first;
    for (const auto& metric : metrics) {
      auto value_at = [&](int64_t epoch) {
        const auto& values = by_epoch.at(epoch);
        const auto found = values.find(metric);
        return found == values.end() ? std::numeric_limits<double>::quiet_NaN() : found->second;
      };
      row.first.push_back(value_at(row.first_epoch));
      row.last.push_back(value_at(row.last_epoch));
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

std::string EpochProgressTable::markdown(int decimals) const {
  if (rows.empty()) return "";
  std::vector<std::vector<std::string>> cells;
  std::vector<std::string> header = {"trial", "epochs"};
  for (size_t m = 0; m < metrics.size(); ++m) {
    // Units as the report tables write them.
    const std::string& unit = m < units.size() ? units[m] : std::string();
    header.push_back(metrics[m] + (unit.empty() ? "" : " [" + unit + "]"));
  }
  cells.push_back(header);
  for (const auto& row : rows) {
    std::vector<std::string> line = {row.trial, std::to_string(row.first_epoch + 1) + " → " +
                                                    std::to_string(row.last_epoch + 1)};
    for (size_t m = 0; m < metrics.size(); ++m) {
      line.push_back(rounded(row.first[m], decimals) + " → " + rounded(row.last[m], decimals));
    }
    cells.push_back(line);
  }
  std::vector<size_t> widths(header.size(), 0);
  for (const auto& line : cells) {
    for (size_t c = 0; c < line.size(); ++c) widths[c] = std::max(widths[c], columns(line[c]));
  }
  std::string text = std::string(split_name(split)) + " metrics, first → last epoch\n\n";
  for (size_t r = 0; r < cells.size(); ++r) {
    text += "|";
    for (size_t c = 0; c < cells[r].size(); ++c) {
      text += " " + cells[r][c] + std::string(widths[c] - columns(cells[r][c]), ' ') + " |";
    }
    text += "\n";
    if (r == 0) {
      text += "|";
      for (const size_t width : widths) text += std::string(width + 2, '-') + "|";
      text += "\n";
    }
  }
  return text;
}

}  // namespace stegolab
