#include "run/summary_table.hpp"

#include <cmath>
#include <iomanip>
#include <map>
#include <sstream>

#include "metrics/metric_convention.hpp"

namespace stegolab {

namespace {

std::string format_number(double value, int precision) {
  if (std::isnan(value)) return "-";
  std::ostringstream text;
  text << std::fixed << std::setprecision(precision) << value;
  return text.str();
}

// "name [unit], name [unit], ...".
std::string units_text(const std::vector<MetricDeclaration>& metrics) {
  std::string text;
  for (const MetricDeclaration& metric : metrics) {
    text += (text.empty() ? "" : ", ") + metric.name +
            (metric.unit.empty() ? "" : " [" + metric.unit + "]");
  }
  return text.empty() ? "none declared" : text;
}

void print_markdown_rows(const std::vector<std::vector<std::string>>& rows, std::ostream& out) {
  std::vector<size_t> widths(rows[0].size(), 0);
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], row[c].size());
  }
  for (size_t r = 0; r < rows.size(); ++r) {
    out << "|";
    for (size_t c = 0; c < rows[r].size(); ++c) {
      out << " " << rows[r][c] << std::string(widths[c] - rows[r][c].size(), ' ') << " |";
    }
    out << "\n";
    if (r == 0) {
      out << "|";
      for (size_t c = 0; c < widths.size(); ++c) out << std::string(widths[c] + 2, '-') << "|";
      out << "\n";
    }
  }
}

}  // namespace

void print_summary_table(const ExperimentSpec& spec, ResultStore& store, int64_t experiment_id,
                         std::ostream& out) {
  std::map<std::string, TrialRecord> by_key;
  for (auto& record : store.trials(experiment_id)) by_key[record.key] = record;
  const std::vector<MetricDeclaration> metrics = summary_metrics(spec.metrics);

  std::vector<std::string> header = {"trial", "status"};
  for (const MetricDeclaration& metric : metrics) header.push_back(metric.name);
  header.push_back("train_images_per_s");
  std::vector<std::vector<std::string>> rows = {header};
  for (const auto& trial : spec.trials) {
    const auto found = by_key.find(trial.key);
    if (found == by_key.end()) continue;
    std::map<std::string, double> values;
    for (const auto& row : store.final_metrics(found->second.id)) {
      if (row.split == Split::test) values[row.metric] = row.value;
    }
    std::vector<std::string> row = {trial.key, status_name(found->second.status)};
    for (const MetricDeclaration& metric : metrics) {
      const auto it = values.find(metric.name);
      row.push_back(it == values.end() ? std::string("-")
                                       : format_number(it->second, metric.digits));
    }
    const auto throughput = store.throughput(found->second.id);
    row.push_back(throughput ? format_number(throughput->train_images_per_s, 1) : "-");
    rows.push_back(row);
  }
  if (rows.size() == 1) return;
  out << "\n" << spec.name << ": test metrics (" << units_text(metrics) << ")\n";
  print_markdown_rows(rows, out);
}

}  // namespace stegolab
