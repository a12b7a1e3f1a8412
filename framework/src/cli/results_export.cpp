#include "cli/results_export.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <utility>
#include <vector>

#include "report/csv_field.hpp"
#include "report/sweep_value.hpp"
#include "report/throughput_field.hpp"

namespace stegolab::cli {

namespace {

// The shortest of %.15g and %.17g that reads back as the same double: an
// export must not round what the database holds.
std::string exact_number_text(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.15g", value);
  if (std::strtod(text, nullptr) != value) std::snprintf(text, sizeof text, "%.17g", value);
  return text;
}

std::string csv_value(const nlohmann::json& value) {
  if (value.is_null()) return "";
  if (value.is_string()) return csv_field(value.get<std::string>());
  if (value.is_number_float()) return exact_number_text(value.get<double>());
  return csv_field(value.dump());
}

// A recorded value: NaN (a diverged metric) and infinities have no JSON
// number spelling, so they become the strings "nan", "inf", "-inf"; null
// stays for "no value" (not recorded, not measured). CSV: "nan", "inf",
// "-inf" against an empty field.
nlohmann::json json_number(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  return value;
}

// A throughput field: NaN there means "not measured", i.e. no value.
nlohmann::json json_measurement(double value) {
  return std::isnan(value) ? nlohmann::json() : json_number(value);
}

// One export row per record, each an object keyed by column.
struct ExportTable {
  std::vector<std::string> columns;
  std::vector<nlohmann::json> records;
};

// The trials of `experiment_name` (all experiments when empty), with the
// name of the experiment each belongs to.
std::vector<std::pair<std::string, TrialRecord>> exported_trials(
    const ResultStore& store, const std::string& experiment_name) {
  std::vector<ExperimentRecord> experiments;
  if (experiment_name.empty()) {
    experiments = store.experiments();
  } else {
    experiments.push_back(store.experiment(experiment_name));
  }
  std::vector<std::pair<std::string, TrialRecord>> trials;
  for (const auto& experiment : experiments) {
    for (auto& trial : store.trials(experiment.id)) trials.emplace_back(experiment.name, trial);
  }
  return trials;
}

std::vector<double> throughput_values(const ResultStore& store, int64_t trial_id) {
  std::vector<double> values;
  if (const auto tp = store.throughput(trial_id)) {
    for (const auto& name : throughput_field_names())
      values.push_back(*throughput_value(*tp, name));
  }
  return values;
}

// Long layout: one record per epoch metric, final metric and throughput field.
void add_long_records(const ResultStore& store, const TrialRecord& trial,
                      const nlohmann::json& base, ExportTable& table) {
  auto add = [&](const char* kind, const nlohmann::json& epoch, const std::string& split,
                 const std::string& metric, nlohmann::json value) {
    nlohmann::json record = base;
    record["kind"] = kind;
    record["epoch"] = epoch;
    record["split"] = split;
    record["metric"] = metric;
    record["value"] = std::move(value);
    table.records.push_back(std::move(record));
  };
  for (const auto& row : store.epoch_metrics(trial.id)) {
    add("epoch", row.epoch, split_name(row.split), row.metric, json_number(row.value));
  }
  for (const auto& row : store.final_metrics(trial.id)) {
    add("final", row.epoch, split_name(row.split), row.metric, json_number(row.value));
  }
  const std::vector<double> values = throughput_values(store, trial.id);
  for (size_t i = 0; i < values.size(); ++i) {
    add("throughput", nullptr, "", throughput_field_names()[i], json_measurement(values[i]));
  }
}

// Wide layout: one record per trial, its final metrics and throughput as columns.
void add_wide_record(const ResultStore& store, const TrialRecord& trial, nlohmann::json record,
                     std::set<std::string>& metric_columns, ExportTable& table) {
  for (const auto& row : store.final_metrics(trial.id)) {
    const std::string name = std::string(split_name(row.split)) + "/" + row.metric;
    metric_columns.insert(name);
    record[name] = json_number(row.value);
  }
  const std::vector<double> values = throughput_values(store, trial.id);
  for (size_t i = 0; i < values.size(); ++i) {
    record[throughput_field_names()[i]] = json_measurement(values[i]);
  }
  table.records.push_back(std::move(record));
}

ExportTable export_table(const ResultStore& store, const std::string& layout,
                         const std::string& experiment_name) {
  const auto trials = exported_trials(store, experiment_name);
  std::vector<TrialRecord> all;
  for (const auto& [experiment, trial] : trials) all.push_back(trial);
  const auto axes = sweep_axes(all);
  ExportTable table;
  table.columns = {"experiment", "trial_id", "key", "status", "repeat", "seed"};
  table.columns.insert(table.columns.end(), axes.begin(), axes.end());
  if (layout == "long") {
    for (const char* name : {"kind", "epoch", "split", "metric", "value"}) {
      table.columns.push_back(name);
    }
  }
  std::set<std::string> metric_columns;
  for (const auto& [experiment, trial] : trials) {
    nlohmann::json base = {{"experiment", experiment}, {"trial_id", trial.id},
                           {"key", trial.key},         {"status", status_name(trial.status)},
                           {"repeat", trial.repeat},   {"seed", trial.seed}};
    for (const auto& axis : axes) base[axis] = sweep_value(trial, axis);
    if (layout == "long") {
      add_long_records(store, trial, base, table);
    } else {
      add_wide_record(store, trial, base, metric_columns, table);
    }
  }
  if (layout == "wide") {
    const auto& names = throughput_field_names();
    table.columns.insert(table.columns.end(), metric_columns.begin(), metric_columns.end());
    table.columns.insert(table.columns.end(), names.begin(), names.end());
  }
  return table;
}

void write_json(const ExportTable& table, std::ostream& out) {
  nlohmann::json array = nlohmann::json::array();
  for (const auto& record : table.records) {
    nlohmann::json ordered = nlohmann::json::object();
    for (const auto& column : table.columns) {
      ordered[column] = record.contains(column) ? record.at(column) : nlohmann::json();
    }
    array.push_back(std::move(ordered));
  }
  out << array.dump(2) << "\n";
}

void write_csv(const ExportTable& table, std::ostream& out) {
  const auto& columns = table.columns;
  for (size_t i = 0; i < columns.size(); ++i) out << (i == 0 ? "" : ",") << csv_field(columns[i]);
  out << "\n";
  for (const auto& record : table.records) {
    for (size_t i = 0; i < columns.size(); ++i) {
      out << (i == 0 ? "" : ",")
          << (record.contains(columns[i]) ? csv_value(record.at(columns[i])) : "");
    }
    out << "\n";
  }
}

}  // namespace

int export_results(const ResultStore& store, const std::string& format, const std::string& layout,
                   const std::string& experiment_name, std::ostream& out) {
  if (format != "csv" && format != "json") {
    throw Error("results export: --format must be csv or json (got '" + format + "')");
  }
  if (layout != "long" && layout != "wide") {
    throw Error("results export: --layout must be long or wide (got '" + layout + "')");
  }
  const ExportTable table = export_table(store, layout, experiment_name);
  if (format == "json") {
    write_json(table, out);
  } else {
    write_csv(table, out);
  }
  return 0;
}

}  // namespace stegolab::cli
