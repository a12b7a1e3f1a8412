#include "run/sweep_runner.hpp"

#include <cmath>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <new>
#include <sstream>

#include <unistd.h>

#include <c10/util/Exception.h>
#include <torch/cuda.h>
#include <torch/utils.h>
#include <torch/version.h>

#include "batch_finder/batch_size_finder.hpp"
#include "checkpoint/checkpoint.hpp"
#include "device/device_name.hpp"
#include "metrics/metric_convention.hpp"
#include "report/declared_reports.hpp"
#include "report/epoch_progress_table.hpp"
#include "report/report_table.hpp"
#include "run/summary_table.hpp"
#include "run/thread_count.hpp"
#include "run/trial_attempts.hpp"
#include "run/trial_plan.hpp"
#include "run/trial_preflight.hpp"
#include "spec/experiment_schema.hpp"
#include "store/database_writer_lock.hpp"
#include "store/result_store.hpp"
#include "trainer/registry_component_factory.hpp"
#include "trainer/trainer.hpp"

namespace stegolab {

namespace {

// What happened to the experiment row, when it is not the plain first run
// or resume: --force-new in particular must never leave the user guessing.
void say_registration(const ExperimentSpec& spec, const ExperimentRegistration& registration,
                      bool force_new, const std::filesystem::path& database, std::ostream& out) {
  using Outcome = ExperimentRegistration::Outcome;
  const std::string experiment =
      "experiment '" + spec.name + "' (id " + std::to_string(registration.id) + ")";
  if (registration.outcome == Outcome::forced_new) {
    out << "--force-new: recorded the changed definition as " << experiment << " in "
        << database.string() << "; experiment id " << registration.previous_id
        << " keeps its trials\n";
  } else if (registration.outcome == Outcome::same && force_new) {
    out << "--force-new: nothing changed: " << spec.file << " defines the same trials as "
        << experiment << " in " << database.string()
        << ", so no new experiment was recorded; its done trials are skipped and the others "
           "run (to run everything again, use another --db)\n";
  }
  if (registration.presentation_updated) {
    out << experiment << ": description and reports updated from " << spec.file
        << " (they do not change the trials)\n";
  }
}

}  // namespace

std::filesystem::path run_folder(const std::filesystem::path& database) {
  std::filesystem::path folder = database;
  if (folder.extension() == ".db") folder.replace_extension();
  folder += ".runs";
  return folder;
}

SweepRunner::SweepRunner(const PluginRegistry& registry, const ExperimentSpec& spec,
                         RunOptions options, const std::atomic<bool>* interrupt)
    : registry_(registry), spec_(spec), options_(std::move(options)), interrupt_(interrupt) {
  if (!options_.out) options_.out = &std::cout;
}

namespace {

// The database's folder, created with one line naming it on failure rather
// than std::filesystem's own wording.
void create_database_folder(const std::filesystem::path& database) {
  if (!database.has_parent_path()) return;
  std::error_code error;
  std::filesystem::create_directories(database.parent_path(), error);
  if (error) {
    throw StoreError("results database '" + database.string() + "': cannot create its folder '" +
                     database.parent_path().string() + "': " + error.message());
  }
}

// The whole plan is in the database before the first trial starts, so
// `results list` shows what is still to come (and an interrupted run, what
// it did not reach).
void record_plan(ResultStore& store, int64_t experiment_id,
                 const std::vector<const TrialSpec*>& selected) {
  std::vector<TrialProvenance> planned;
  for (const TrialSpec* trial : selected) {
    TrialProvenance p;
    p.key = trial->key;
    p.config = trial->resolved;
    p.sweep_point = trial->sweep_point;
    p.repeat = trial->repeat;
    p.seed = trial->seed;
    planned.push_back(std::move(p));
  }
  store.add_pending_trials(experiment_id, planned);
}

// Counts the outcome and says it; true when the sweep must stop.
bool count_outcome(const TrialOutcome& outcome, const std::string& label, RunSummary& summary,
                   std::ostream& out) {
  if (outcome.status == TrialStatus::done) {
    ++summary.done;
    out << label << ": done\n" << std::flush;
    return false;
  }
  if (outcome.status == TrialStatus::interrupted) {
    ++summary.interrupted;
    summary.stopped = true;
    out << label << ": interrupted after " << outcome.epochs_completed << " epochs\n";
    return true;
  }
  ++summary.failed;
  summary.failures.push_back(label.substr(label.find("] ") + 2) + ": " + outcome.error);
  out << label << ": FAILED: " << outcome.error << "\n" << std::flush;
  return false;
}

}  // namespace

std::vector<const TrialSpec*> SweepRunner::selected_trials() const {
  return select_trials(spec_, options_.only, options_.shard);
}

RunSummary SweepRunner::run() {
  std::ostream& out = *options_.out;
  RunSummary summary;
  {
    // Before the database is touched: a bad trial anywhere refuses the run.
    RegistryComponentFactory factory(registry_);
    preflight_trials(factory, spec_, options_.device, &out);
  }
  const auto database = options_.database;
  create_database_folder(database);
  // Held until the run ends: a second run on this file stops here.
  DatabaseWriterLock writer_lock(database);
  ResultStore store(database, ResultStore::Mode::read_write);
  writer_lock.lock_created_file();  // a new database exists only now
  // With the writer lock held, a "running" trial is one whose process died.
  for (const auto& key : store.interrupt_stale_trials(
           "the run that was writing this trial ended without finishing it (killed?)")) {
    out << key << ": was left running by a run that ended without finishing it; "
        << "marked interrupted\n";
  }
  const ExperimentRegistration registration =
      store.open_experiment(spec_.name, spec_.document, options_.force_new);
  summary.experiment_id = registration.id;
  say_registration(spec_, registration, options_.force_new, database, out);
  store.write_conventions(experiment_conventions(spec_.metrics));

  TrainerOptions trainer_options;
  trainer_options.interrupt = interrupt_;
  trainer_options.out = &std::cerr;
  trainer_options.data_parallel = options_.data_parallel;
  Trainer trainer(registry_, trainer_options);
  const TrialAttempts attempts(registry_, spec_, options_, store, trainer, out);

  const std::vector<const TrialSpec*> selected = selected_trials();
  summary.selected = static_cast<int64_t>(selected.size());
  if (selected.empty() && options_.shard && options_.only.empty()) {
    out << "shard " << options_.shard->text() << " holds no trial (the sweep has "
        << spec_.trials.size() << ")\n";
  } else if (selected.empty()) {
    out << "no trial key contains \"" << options_.only << "\""
        << (options_.shard ? " in shard " + options_.shard->text() : "") << "\n";
  }
  record_plan(store, summary.experiment_id, selected);

  for (size_t index = 0; index < selected.size(); ++index) {
    if (interrupt_ && interrupt_->load()) {
      summary.stopped = true;
      break;
    }
    const TrialSpec& trial = *selected[index];
    const std::string label =
        "[" + std::to_string(index + 1) + "/" + std::to_string(selected.size()) + "] " + trial.key;
    const auto existing = store.find_trial(summary.experiment_id, trial.key);
    if (existing && existing->status == TrialStatus::done) {
      out << label << ": done already, skipped\n" << std::flush;
      ++summary.skipped;
      continue;
    }
    const TrialOutcome outcome = attempts.run(summary.experiment_id, trial, existing, label);
    if (outcome.status == TrialStatus::failed && options_.data_parallel != nullptr) {
      // The other ranks may have stopped anywhere in it; they cannot go on together.
      throw Error(label + ": FAILED: " + outcome.error +
                  " (recorded; a data-parallel run stops at a failed trial)");
    }
    if (!count_outcome(outcome, label, summary, out)) continue;
    // Interrupted without a signal: this machine cannot go on (a checkpoint
    // that cannot be written), so neither can the next trials.
    if (!(interrupt_ && interrupt_->load())) {
      throw Error(label + ": " + outcome.error +
                  " (recorded as interrupted; run the same command again to resume)");
    }
    break;
  }
  if (!summary.stopped) print_reports(store, summary.experiment_id, out);
  return summary;
}

void SweepRunner::print_reports(ResultStore& store, int64_t experiment_id,
                                std::ostream& out) const {
  // A report that cannot be made (e.g. every trial failed, so a metric has no
  // value) is said on one line; the trials' results are in the database.
  std::ostringstream reports;
  try {
    const ExperimentRecord experiment = store.experiment(std::to_string(experiment_id));
    if (declares_reports(experiment)) {
      reports << "\n";
      render_declared_reports(store, experiment, reports, reports);
    } else {
      print_summary_table(spec_, store, experiment_id, reports);
    }
  } catch (const ReportError& error) {
    reports << "report: " << first_line(error.what()) << "\n";
  }
  // One blank line between the tables, whichever way each one ends.
  std::string text = reports.str();
  while (!text.empty() && text.back() == '\n') text.pop_back();
  if (!text.empty()) out << text << "\n";
  std::vector<std::string> shown;
  for (const MetricDeclaration& metric : summary_metrics(spec_.metrics)) {
    if (shown.size() < 2) shown.push_back(metric.name);
  }
  const std::string progress =
      EpochProgressTable::build(store, experiment_id, shown, Split::val).markdown(2);
  if (!progress.empty()) out << "\n" << progress;
}

}  // namespace stegolab
