// Which tables the HTML report shows.
#include <set>

#include "report/html_report.hpp"
#include "report/sweep_value.hpp"

namespace stegolab {

namespace {

// The metrics with a direction (the ones a comparison is about) that the
// done trials recorded on the test split, in the conventions' order.
std::vector<std::string> compared_metrics(const ResultStore& store,
                                          const std::vector<TrialRecord>& trials) {
  std::set<std::string> recorded;
  for (const TrialRecord& trial : trials) {
    if (trial.status != TrialStatus::done) continue;
    for (const MetricRow& row : store.final_metrics(trial.id)) {
      if (row.split == Split::test) recorded.insert(row.metric);
    }
  }
  std::vector<std::string> metrics;
  for (const MetricDeclaration& convention : store.conventions()) {
    if (!convention.better.empty() && recorded.count(convention.name) != 0) {
      metrics.push_back(convention.name);
    }
  }
  return metrics;
}

}  // namespace

std::vector<NamedReport> html_report_tables(const ResultStore& store,
                                            const ExperimentRecord& experiment,
                                            const std::vector<NamedReport>& command_line) {
  if (!command_line.empty()) return command_line;
  std::vector<NamedReport> tables;
  const nlohmann::json& json = experiment.experiment;
  const std::string where =
      "experiment '" + experiment.name + "' in '" + store.file().string() + "'";
  if (json.is_object() && json.contains("reports") && json.at("reports").is_array()) {
    const nlohmann::json& declared = json.at("reports");
    for (size_t i = 0; i < declared.size(); ++i) {
      const std::string path = "reports[" + std::to_string(i) + "]";
      NamedReport report{declared[i].value("name", path),
                         ReportSpec::from_json(declared[i], where, path)};
      tables.push_back(std::move(report));
    }
  }
  if (!tables.empty()) return tables;
  const std::vector<TrialRecord> trials = store.trials(experiment.id);
  NamedReport all;
  all.name = "all metrics";
  all.task_curves = true;
  all.spec.rows = varying_sweep_paths(trials);
  // No axis varies: one row, named by the task.
  if (all.spec.rows.empty()) all.spec.rows = {"task.plugin"};
  all.spec.metrics = compared_metrics(store, trials);
  if (all.spec.metrics.empty()) return tables;
  tables.push_back(std::move(all));
  return tables;
}

}  // namespace stegolab
