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
#include "run/trial_plan.hpp"
#include "spec/experiment_schema.hpp"
#include "store/database_writer_lock.hpp"
#include "store/result_store.hpp"
#include "trainer/registry_component_factory.hpp"
#include "trainer/trainer.hpp"

namespace stegolab {

namespace {

std::string git_revision() {
  // The source tree this binary was built from; "unknown" for an installed
  // copy or a tarball without .git.
  const std::string command =
      std::string("git -C '") + STEGOLAB_SOURCE_DIR + "' rev-parse HEAD 2>/dev/null";
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return "unknown";
  char buffer[128] = {0};
  std::string text;
  while (fgets(buffer, sizeof buffer, pipe)) text += buffer;
  const int status = pclose(pipe);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return status == 0 && text.size() == 40 ? text : "unknown";
}

std::string host_name() {
  char name[256] = {0};
  if (gethostname(name, sizeof name - 1) != 0) return "unknown";
  return name;
}

// Writes each completed epoch and each event of one trial to the store.
class StoreSink : public EpochSink {
 public:
  StoreSink(ResultStore& store, int64_t trial_id) : store_(store), trial_id_(trial_id) {}
  void on_epoch(int64_t epoch, const std::vector<MetricRow>& rows) override {
    store_.record_epoch(trial_id_, epoch, rows);
  }
  void on_event(int64_t epoch, const std::string& kind, const std::string& message) override {
    store_.record_event(trial_id_, epoch, kind, message);
  }

 private:
  ResultStore& store_;
  int64_t trial_id_;
};

// The epoch (0-based) of the checkpoint in `dir`, or nothing when there is
// none or it cannot be resumed from (then `how` says why).
std::optional<int64_t> resumable_epoch(const std::filesystem::path& dir,
                                       int64_t last_recorded_epoch, std::string& how) {
  if (!std::filesystem::exists(dir)) return std::nullopt;
  int64_t epoch = 0;
  try {
    epoch = read_checkpoint_manifest(dir).epoch;
  } catch (const Error& error) {
    how += " (its checkpoint is unusable: " + first_line(error.what()) + ")";
    return std::nullopt;
  }
  // The trainer saves the checkpoint just before recording the epoch's rows;
  // a process killed in between leaves a checkpoint whose epoch has no rows,
  // and resuming would leave that hole in the curves.
  if (epoch > last_recorded_epoch) {
    how += " (its checkpoint after epoch " + std::to_string(epoch + 1) +
           " is ahead of the recorded epochs)";
    return std::nullopt;
  }
  return epoch;
}

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

RunSummary SweepRunner::run() {
  std::ostream& out = *options_.out;
  RunSummary summary;
  const auto database = options_.database;
  if (database.has_parent_path()) {
    // One line naming the folder, rather than std::filesystem's own wording.
    std::error_code error;
    std::filesystem::create_directories(database.parent_path(), error);
    if (error) {
      throw StoreError("results database '" + database.string() + "': cannot create its folder '" +
                       database.parent_path().string() + "': " + error.message());
    }
  }
  // Held until the run ends: a second run on this file stops here.
  const DatabaseWriterLock writer_lock(database);
  ResultStore store(database, ResultStore::Mode::read_write);
  const ExperimentRegistration registration =
      store.open_experiment(spec_.name, spec_.document, options_.force_new);
  summary.experiment_id = registration.id;
  say_registration(spec_, registration, options_.force_new, database, out);

  store.write_conventions(experiment_conventions(spec_.metrics));

  const std::string revision = git_revision();
  const std::string host = host_name();
  const auto runs = run_folder(database);
  TrainerOptions trainer_options;
  trainer_options.interrupt = interrupt_;
  trainer_options.out = &std::cerr;
  Trainer trainer(registry_, trainer_options);

  std::vector<const TrialSpec*> selected;
  for (const auto& trial : spec_.trials) {
    if (selected_by_only(trial.key, options_.only)) selected.push_back(&trial);
  }
  summary.selected = static_cast<int64_t>(selected.size());
  if (selected.empty()) out << "no trial key contains \"" << options_.only << "\"\n";
  // The whole plan is in the database before the first trial starts, so
  // `results list` shows what is still to come (and an interrupted run,
  // what it did not reach).
  {
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
    store.add_pending_trials(summary.experiment_id, planned);
  }

  for (size_t index = 0; index < selected.size(); ++index) {
    if (interrupt_ && interrupt_->load()) {
      summary.stopped = true;
      break;
    }
    TrialSpec trial = *selected[index];
    const std::string position =
        "[" + std::to_string(index + 1) + "/" + std::to_string(selected.size()) + "] ";
    const auto existing = store.find_trial(summary.experiment_id, trial.key);
    if (existing && existing->status == "done") {
      out << position << trial.key << ": done already, skipped\n" << std::flush;
      ++summary.skipped;
      continue;
    }

    trial.train.device = options_.device.empty()
                             ? resolve_device(trial.train.device, spec_.file + ": train.device")
                             : resolve_device(options_.device, "--device");
    trial.resolved["train"]["device"] = trial.train.device;
    // The trial carries the resolved count (--threads, then STEGOLAB_THREADS,
    // then the file), so building its components cannot undo the command line.
    trial.train.threads = resolve_thread_count(options_.threads, std::getenv("STEGOLAB_THREADS"),
                                               trial.train.threads);
    torch::set_num_threads(static_cast<int>(trial.train.threads));

    // train.batch_size "auto": measured on this machine before the trial
    // runs, so the database records the batch that was actually used.
    std::string auto_batch_error;
    if (trial.train.batch_size_auto) {
      try {
        RegistryComponentFactory factory(registry_);
        trial.train.batch_size = find_largest_batch(factory, trial, BatchFinderOptions{}).batch;
        trial.resolved["train"]["batch_size"] = trial.train.batch_size;
        out << position << trial.key << ": train.batch_size \"auto\" -> " << trial.train.batch_size
            << "\n";
      } catch (const std::exception& error) {
        auto_batch_error = "train.batch_size \"auto\": " + first_line(error.what());
      }
    }

    TrialProvenance provenance;
    provenance.key = trial.key;
    provenance.config = trial.resolved;
    provenance.sweep_point = trial.sweep_point;
    provenance.repeat = trial.repeat;
    provenance.seed = trial.seed;
    provenance.device = trial.train.device;
    provenance.torch_version = TORCH_VERSION;
    provenance.git_revision = revision;
    provenance.host = host;
    provenance.plugins = nlohmann::json::object();
    for (const auto& c : ExperimentSchema::components()) {
      const ComponentSpec* component = trial.component(c.section);
      if (component == nullptr) continue;
      const PluginInfo& info = registry_.find(c.kind, component->plugin).info;
      provenance.plugins[c.section] = {{"name", info.name}, {"version", info.version}};
    }

    const int64_t trial_id = store.start_trial(summary.experiment_id, provenance);
    TrialRun run;
    run.checkpoint_dir = runs / std::to_string(trial_id);
    // A pending row never ran, so it has no checkpoints of its own.
    const bool started_before = existing && existing->status != "pending";
    // A checkpoint folder of a trial that never started is left over from a
    // deleted database: resuming from it would mix two unrelated runs.
    if (!started_before && std::filesystem::exists(run.checkpoint_dir)) {
      std::filesystem::remove_all(run.checkpoint_dir);
    }
    std::filesystem::create_directories(run.checkpoint_dir);
    store.set_checkpoint_dir(trial_id, run.checkpoint_dir.string());
    // "running" is what a killed process leaves behind.
    const std::string was = !started_before                 ? ""
                            : existing->status == "running" ? "unfinished"
                                                            : existing->status;
    std::string how = started_before ? "rerunning " + was + " trial from the start" : "starting";
    if (started_before) {
      if (const auto resume_epoch =
              resumable_epoch(run.checkpoint_dir / "last", existing->last_epoch, how)) {
        run.resume_from = run.checkpoint_dir / "last";
        // 1-based, as the trainer's progress lines count epochs.
        how = "resuming " + was + " trial from epoch " + std::to_string(*resume_epoch + 2) + "/" +
              std::to_string(trial.train.epochs) + " (checkpoint after epoch " +
              std::to_string(*resume_epoch + 1) + ")";
      } else {
        // The new attempt re-records every epoch; rows of the old one that
        // it does not overwrite (later epochs, metrics it no longer has,
        // final rows) would otherwise read as part of it.
        store.restart_trial(trial_id, how);
      }
    }
    out << position << trial.key << ": " << how << " (trial " << trial_id << ", seed " << trial.seed
        << ", " << trial.train.device << ")\n"
        << std::flush;

    StoreSink sink(store, trial_id);
    TrialOutcome outcome;
    try {
      if (auto_batch_error.empty()) {
        outcome = trainer.run(trial, run, sink);
      } else {
        outcome.status = "failed";
        outcome.error = auto_batch_error;
      }
    } catch (const std::bad_alloc&) {
      outcome.status = "failed";
      outcome.error = "out of memory";
    } catch (const c10::Error& error) {
      outcome.status = "failed";
      outcome.error = first_line(error.what_without_backtrace());
    } catch (const std::exception& error) {
      outcome.status = "failed";
      outcome.error = first_line(error.what());
    }
    store.finish_trial(trial_id, outcome.status, outcome.error, outcome.final_metrics,
                       outcome.throughput);

    if (outcome.status == "done") {
      ++summary.done;
      out << position << trial.key << ": done\n" << std::flush;
    } else if (outcome.status == "interrupted") {
      ++summary.interrupted;
      summary.stopped = true;
      out << position << trial.key << ": interrupted after " << outcome.epochs_completed
          << " epochs\n";
      break;
    } else {
      ++summary.failed;
      summary.failures.push_back(trial.key + ": " + outcome.error);
      out << position << trial.key << ": FAILED: " << outcome.error << "\n" << std::flush;
    }
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
      EpochProgressTable::build(store, experiment_id, shown, "val").markdown(2);
  if (!progress.empty()) out << "\n" << progress;
}

}  // namespace stegolab
