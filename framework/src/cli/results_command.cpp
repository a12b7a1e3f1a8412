// `stegolab results`: list, show, trial and export on a results database.
// Every subcommand opens the database read-only, so a copied file is safe.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include <boost/program_options.hpp>

#include "cli/command_line.hpp"
#include "cli/commands.hpp"
#include "cli/results_export.hpp"
#include "cli/results_merge.hpp"
#include "report/csv_field.hpp"
#include "report/sweep_value.hpp"
#include "report/throughput_field.hpp"
#include "store/database_locator.hpp"
#include "store/database_writer_lock.hpp"
#include "store/result_store.hpp"

namespace stegolab::cli {

namespace {

namespace po = boost::program_options;

const char* const kUsage =
    "usage: stegolab results list [--db FILE]\n"
    "       stegolab results show EXPERIMENT [--db FILE]\n"
    "       stegolab results trial ID [--db FILE]\n"
    "       stegolab results export --format csv|json [--layout long|wide] [--experiment E]\n"
    "                               [--out FILE] [--db FILE]\n"
    "       stegolab results merge OUT.db SHARD.db... [--prefer newest]\n"
    "--db defaults to the only results/*.db in the current folder.\n";

std::string number_text(double value) {
  if (std::isnan(value)) return "nan";
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", value);
  return text;
}

// Aligned plain-text columns.
void print_table(std::ostream& out, const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()), 0);
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(widths[i] - row[i].size() + 2, ' ');
    }
    out << line << "\n";
  }
}

// How `results` shows a trial's status: "running" only while a run holds the
// database; the trial of a run that died reads as interrupted, as the next
// run will record it.
struct StatusView {
  bool writer_alive = false;
  TrialStatus operator()(TrialStatus status) const {
    return status == TrialStatus::running && !writer_alive ? TrialStatus::interrupted : status;
  }
  bool stale(TrialStatus status) const { return (*this)(status) != status; }
};

int list(const ResultStore& store, const StatusView& view, std::ostream& out) {
  std::vector<std::vector<std::string>> rows = {{"id", "experiment", "created", "trials", "done",
                                                 "running", "failed", "interrupted", "pending"}};
  for (const auto& experiment : store.experiments()) {
    int64_t total = 0;
    std::map<TrialStatus, int64_t> shown;
    for (const auto& [status, count] : experiment.status_counts) {
      total += count;
      shown[view(status)] += count;
    }
    auto count = [&](TrialStatus status) { return std::to_string(shown[status]); };
    rows.push_back({std::to_string(experiment.id), experiment.name, experiment.created,
                    std::to_string(total), count(TrialStatus::done), count(TrialStatus::running),
                    count(TrialStatus::failed), count(TrialStatus::interrupted),
                    count(TrialStatus::pending)});
  }
  if (rows.size() == 1) {
    out << "no experiments in '" << store.file().string() << "'\n";
    return 0;
  }
  print_table(out, rows);
  return 0;
}

int show(const ResultStore& store, const std::string& name, const StatusView& view,
         std::ostream& out) {
  const auto experiment = store.experiment(name);
  const auto trials = store.trials(experiment.id);
  const auto axes = sweep_axes(trials);
  // Columns for every split/metric any trial has in final_metrics.
  std::set<std::pair<std::string, std::string>> metric_names;
  std::vector<std::map<std::pair<std::string, std::string>, double>> finals;
  for (const auto& trial : trials) {
    finals.emplace_back();
    for (const auto& row : store.final_metrics(trial.id)) {
      metric_names.insert({split_name(row.split), row.metric});
      finals.back()[{split_name(row.split), row.metric}] = row.value;
    }
  }
  // Trials not trained here (stegolab evaluate) are told by their kind and name.
  const bool mixed = std::any_of(trials.begin(), trials.end(),
                                 [](const TrialRecord& t) { return t.kind != "trained"; });
  std::vector<std::string> header = {"id", "status", "repeat", "epoch"};
  if (mixed) header.insert(header.end(), {"kind", "name"});
  header.insert(header.end(), axes.begin(), axes.end());
  for (const auto& [split, metric] : metric_names) header.push_back(split + "/" + metric);
  header.push_back("train_images_per_s");
  std::vector<std::vector<std::string>> rows = {header};
  for (size_t t = 0; t < trials.size(); ++t) {
    const auto& trial = trials[t];
    std::vector<std::string> row = {std::to_string(trial.id), status_name(view(trial.status)),
                                    std::to_string(trial.repeat), std::to_string(trial.last_epoch)};
    if (mixed) row.insert(row.end(), {trial.kind, trial.kind == "trained" ? "" : trial.key});
    for (const auto& axis : axes) row.push_back(sweep_value_text(sweep_value(trial, axis)));
    for (const auto& key : metric_names) {
      const auto found = finals[t].find(key);
      row.push_back(found == finals[t].end() ? "-" : number_text(found->second));
    }
    const auto tp = store.throughput(trial.id);
    row.push_back(tp ? number_text(tp->train_images_per_s) : "-");
    rows.push_back(std::move(row));
  }
  out << "experiment '" << experiment.name << "' (id " << experiment.id << ", created "
      << experiment.created << ", hash " << experiment.hash << "): " << trials.size()
      << " trials\n";
  print_table(out, rows);
  for (const auto& trial : trials) {
    if (!trial.error.empty())
      out << "trial " << trial.id << " (" << view(trial.status) << "): " << trial.error << "\n";
  }
  return 0;
}

// The trial's size as the trainer recorded it: trained parameters and the
// task's FLOPs per sample (trials recorded before parameters were counted
// show only the FLOPs).
void print_size(const Throughput& tp, std::ostream& out) {
  if (!tp.extra.is_object()) return;
  if (tp.extra.contains("parameters") && tp.extra.at("parameters").is_number()) {
    out << "  parameters = " << tp.extra.at("parameters").get<int64_t>() << "\n";
  }
  if (tp.extra.contains("flops_per_image") && tp.extra.at("flops_per_image").is_number()) {
    out << "  gflops_per_sample = "
        << number_text(tp.extra.at("flops_per_image").get<double>() / 1e9) << " (inference)\n";
  }
}

void print_trial_record(const TrialRecord& record, const StatusView& view, std::ostream& out) {
  const std::string stale =
      view.stale(record.status)
          ? " (recorded as running by a run that ended without finishing it; the next run "
            "resumes it)"
          : "";
  out << "trial " << record.id << "  key " << record.key << "\n"
      << "  kind          " << record.kind << "\n"
      << "  status        " << view(record.status) << stale
      << (record.error.empty() ? "" : " (" + record.error + ")") << "\n"
      << "  experiment id " << record.experiment_id << "\n"
      << "  sweep point   " << record.sweep_point.dump() << "\n"
      << "  repeat, seed  " << record.repeat << ", " << record.seed << "\n"
      << "  device        " << record.device << "\n"
      << "  libtorch      " << record.torch_version << "\n"
      << "  git revision  " << record.git_revision << "\n"
      << "  host          " << record.host << "\n"
      << "  plugins       " << record.plugins.dump() << "\n"
      << "  started, ended " << record.started_at << ", " << record.ended_at << "\n"
      << "  last epoch    " << record.last_epoch + 1 << " (epochs count from 1)\n"
      << "  checkpoints   " << record.checkpoint_dir << "\n"
      << "  config        " << record.config.dump() << "\n";
}

// Epoch by epoch: one row per epoch, one column per split/metric.
void print_epoch_table(const std::vector<MetricRow>& epoch_rows, std::ostream& out) {
  std::set<std::pair<std::string, std::string>> names;
  std::map<int64_t, std::map<std::pair<std::string, std::string>, double>> epochs;
  for (const auto& row : epoch_rows) {
    names.insert({split_name(row.split), row.metric});
    epochs[row.epoch][{split_name(row.split), row.metric}] = row.value;
  }
  if (epochs.empty()) return;
  std::vector<std::string> header = {"epoch"};
  for (const auto& [split, metric] : names) header.push_back(split + "/" + metric);
  std::vector<std::vector<std::string>> rows = {header};
  for (const auto& [epoch, values] : epochs) {
    std::vector<std::string> row = {std::to_string(epoch + 1)};
    for (const auto& key : names) {
      const auto found = values.find(key);
      row.push_back(found == values.end() ? "-" : number_text(found->second));
    }
    rows.push_back(std::move(row));
  }
  out << "epochs:\n";
  print_table(out, rows);
}

void print_throughput(const Throughput& tp, std::ostream& out) {
  out << "throughput:\n";
  for (const auto& name : throughput_field_names()) {
    const double value = *throughput_value(tp, name);
    out << "  " << name << " = " << (std::isnan(value) ? "not measured" : number_text(value))
        << "\n";
  }
  print_size(tp, out);
  if (tp.extra.is_object() && !tp.extra.empty()) out << "  extra = " << tp.extra.dump() << "\n";
}

int trial(const ResultStore& store, const std::string& id_text, const StatusView& view,
          std::ostream& out) {
  // All digits: std::stoll alone would read "12abc" as trial 12.
  const bool digits = !id_text.empty() && id_text.size() <= 18 &&
                      id_text.find_first_not_of("0123456789") == std::string::npos;
  if (!digits) throw Error("results trial: '" + id_text + "' is not a trial id (a number)");
  const int64_t id = std::stoll(id_text);
  print_trial_record(store.trial(id), view, out);
  print_epoch_table(store.epoch_metrics(id), out);
  const auto finals = store.final_metrics(id);
  if (!finals.empty()) {
    out << "final metrics:\n";
    for (const auto& row : finals) {
      out << "  " << row.split << "/" << row.metric << " = " << number_text(row.value) << "\n";
    }
  }
  if (const auto tp = store.throughput(id)) print_throughput(*tp, out);
  const auto events = store.events(id);
  if (!events.empty()) {
    out << "events:\n";
    for (const auto& event : events) {
      out << "  " << event.at << "  epoch " << event.epoch + 1 << "  " << event.kind << ": "
          << event.message << "\n";
    }
  }
  const auto gallery = store.gallery(id);
  if (!gallery.empty()) {
    out << "gallery: " << gallery.size() << " pictures in "
        << gallery.front().path.parent_path().string()
        << " (stegolab report --format html shows them)\n";
  }
  return 0;
}

}  // namespace

int results_command(const Arguments& args) {
  std::string db, format, layout = "long", experiment, out_file, target, prefer;
  std::string action;
  po::options_description options("results options");
  options.add_options()("help,h", "show this help")(
      "db", po::value(&db), "results database (default: the only results/*.db)")(
      "format", po::value(&format), "export: csv or json")(
      "layout", po::value(&layout), "export: long (one row per value) or wide (one row per trial)")(
      "experiment", po::value(&experiment), "export: only this experiment (name or id)")(
      "out", po::value(&out_file), "export: write here instead of stdout")(
      "prefer", po::value(&prefer),
      "merge: 'newest' keeps the later-ended copy of a trial whose copies differ");
  po::variables_map vm;
  std::vector<std::string> positional;
  if (!parse_command_line("results", args, options, vm, &positional)) return 0;
  if (!positional.empty() && positional[0] == "merge") {
    return results_merge({positional.begin() + 1, positional.end()}, prefer, std::cout);
  }
  if (positional.size() > 2)
    throw Error("results: too many arguments (see 'stegolab results --help')");
  if (!positional.empty()) action = positional[0];
  if (positional.size() > 1) target = positional[1];
  if (action.empty()) {
    std::cerr << kUsage << options;
    return 2;
  }
  const std::filesystem::path database = locate_database(db, std::filesystem::current_path());
  const ResultStore store(database, ResultStore::Mode::read_only);
  const StatusView view{DatabaseWriterLock::held(database)};
  for (const auto& warning : store.warnings())
    std::cerr << "stegolab results: warning: " << warning << "\n";
  if (action == "list") return list(store, view, std::cout);
  if (action == "show") {
    if (target.empty()) throw Error("results show: name the experiment (see 'results list')");
    return show(store, target, view, std::cout);
  }
  if (action == "trial") {
    if (target.empty()) throw Error("results trial: give the trial id (see 'results show')");
    return trial(store, target, view, std::cout);
  }
  if (action == "export") {
    if (format.empty()) throw Error("results export: --format csv|json is required");
    if (out_file.empty()) return export_results(store, format, layout, experiment, std::cout);
    std::ofstream out(out_file);
    if (!out) throw Error("results export: cannot write '" + out_file + "'");
    export_results(store, format, layout, experiment, out);
    if (!out.flush()) throw Error("results export: writing '" + out_file + "' failed");
    std::cerr << "wrote " << out_file << "\n";
    return 0;
  }
  throw Error("results: unknown action '" + action + "' (list, show, trial, export, merge)");
}

}  // namespace stegolab::cli
