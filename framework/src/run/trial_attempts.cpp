#include "run/trial_attempts.hpp"

#include <cstdio>
#include <limits>
#include <new>

#include <unistd.h>

#include <c10/util/Exception.h>
#include <torch/utils.h>
#include <torch/version.h>

#include "batch_finder/batch_size_finder.hpp"
#include "checkpoint/checkpoint_slot.hpp"
#include "device/device_name.hpp"
#include "run/source_tree_location.hpp"
#include "run/thread_count.hpp"
#include "run/trial_announcement.hpp"
#include "spec/experiment_schema.hpp"
#include "trainer/registry_component_factory.hpp"

namespace stegolab {

namespace {

std::string git_revision() {
  // The source tree this binary was built from; "unknown" for an installed
  // copy or a tarball without .git.
  const std::string command =
      std::string("git -C '") + source_tree_path() + "' rev-parse HEAD 2>/dev/null";
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

}  // namespace

// Writes each completed epoch and each event of one trial to the store, and
// remembers the first write that failed: the trainer turns it into a failed
// trial, but it is the database, not the trial, that went wrong.
class TrialAttempts::StoreSink : public EpochSink {
 public:
  StoreSink(ResultStore& store, int64_t trial_id) : store_(store), trial_id_(trial_id) {}
  void on_epoch(int64_t epoch, const std::vector<MetricRow>& rows) override {
    remembering([&] { store_.record_epoch(trial_id_, epoch, rows); });
  }
  void on_event(int64_t epoch, const std::string& kind, const std::string& message) override {
    remembering([&] { store_.record_event(trial_id_, epoch, kind, message); });
  }
  // The first failed write's message; empty when every write succeeded.
  const std::string& failure() const { return failure_; }

 private:
  template <class Write>
  void remembering(const Write& write) {
    try {
      write();
    } catch (const StoreError& error) {
      if (failure_.empty()) failure_ = first_line(error.what());
      throw;
    }
  }

  ResultStore& store_;
  int64_t trial_id_;
  std::string failure_;
};

TrialAttempts::TrialAttempts(const PluginRegistry& registry, const ExperimentSpec& spec,
                             const RunOptions& options, ResultStore& store, Trainer& trainer,
                             std::ostream& out)
    : registry_(registry),
      spec_(spec),
      options_(options),
      store_(store),
      trainer_(trainer),
      out_(out),
      runs_(run_folder(options.database)),
      revision_(git_revision()),
      host_(host_name()) {}

void apply_machine_settings(TrialSpec& trial, const RunOptions& options, const std::string& file) {
  trial.train.device = options.device.empty()
                           ? resolve_device(trial.train.device, file + ": train.device")
                           : resolve_device(options.device, "--device");
  trial.resolved["train"]["device"] = trial.train.device;
  // The trial carries the resolved count (--threads, then STEGOLAB_THREADS,
  // then the file), so building its components cannot undo the command line.
  trial.train.threads =
      resolve_thread_count(options.threads, std::getenv("STEGOLAB_THREADS"), trial.train.threads);
  torch::set_num_threads(static_cast<int>(trial.train.threads));
}

std::string TrialAttempts::resolve_machine_settings(TrialSpec& trial,
                                                    const std::string& label) const {
  apply_machine_settings(trial, options_, spec_.file);
  if (!trial.train.batch_size_auto) return "";
  if (options_.data_parallel != nullptr) {
    // Each rank would measure its own; they must train one batch size.
    return "train.batch_size \"auto\" is not supported in a data-parallel run; give a number";
  }
  // Measured on this machine before the trial runs, so the database records
  // the batch that was actually used.
  try {
    RegistryComponentFactory factory(registry_);
    trial.train.batch_size = find_largest_batch(factory, trial, BatchFinderOptions{}).batch;
    trial.resolved["train"]["batch_size"] = trial.train.batch_size;
    out_ << label << ": train.batch_size \"auto\" -> " << trial.train.batch_size << "\n";
    return "";
  } catch (const std::exception& error) {
    return "train.batch_size \"auto\": " + first_line(error.what());
  }
}

TrialProvenance TrialAttempts::provenance_of(const TrialSpec& trial) const {
  TrialProvenance provenance;
  provenance.key = trial.key;
  provenance.config = trial.resolved;
  provenance.sweep_point = trial.sweep_point;
  provenance.repeat = trial.repeat;
  provenance.seed = trial.seed;
  provenance.device = trial.train.device;
  provenance.torch_version = TORCH_VERSION;
  provenance.git_revision = revision_;
  provenance.host = host_;
  provenance.plugins = nlohmann::json::object();
  for (const auto& c : ExperimentSchema::components()) {
    const ComponentSpec* component = trial.component(c.section);
    if (component == nullptr) continue;
    const PluginInfo& info = registry_.find(c.kind, component->plugin).info;
    provenance.plugins[c.section] = {{"name", info.name}, {"version", info.version}};
    // The report reads the database, not the plugins: a task's default
    // curves travel with the trials it ran.
    for (const RateQualityPair& pair : info.rate_quality) {
      const nlohmann::json entry = {{"rate", pair.rate}, {"quality", pair.quality}};
      provenance.plugins[c.section]["rate_quality"].push_back(entry);
    }
  }
  return provenance;
}

TrialRun TrialAttempts::prepare_checkpoints(int64_t trial_id, const TrialSpec& trial,
                                            const std::optional<TrialRecord>& existing,
                                            std::string& how) const {
  TrialRun run;
  run.checkpoint_dir = runs_ / std::to_string(trial_id);
  // A pending row never ran, so it has no checkpoints of its own.
  const bool started_before = existing && existing->status != TrialStatus::pending;
  // A checkpoint folder of a trial that never started is left over from a
  // deleted database: resuming from it would mix two unrelated runs.
  if (!started_before && std::filesystem::exists(run.checkpoint_dir)) {
    std::filesystem::remove_all(run.checkpoint_dir);
  }
  std::filesystem::create_directories(run.checkpoint_dir);
  store_.set_checkpoint_dir(trial_id, run.checkpoint_dir.string());
  how = "starting";
  if (!started_before) return run;
  // Never "running": the sweep marked stale ones interrupted when it opened the database.
  const std::string was = status_name(existing->status);
  how = "rerunning " + was + " trial from the start";
  // A process killed while replacing a checkpoint leaves it beside its
  // folder; the newest complete one the database has caught up with wins.
  // The trainer records an epoch's rows before saving its checkpoint, so
  // only older versions leave a newer one, which would leave a hole in the
  // curves.
  settle_checkpoint(run.checkpoint_dir / "best", std::numeric_limits<int64_t>::max());
  const SettledCheckpoint last =
      settle_checkpoint(run.checkpoint_dir / "last", existing->last_epoch);
  if (last.usable) {
    run.resume_from = run.checkpoint_dir / "last";
    const std::string recovered =
        last.recovered_from.empty()
            ? ""
            : ", recovered from " + last.recovered_from + " left by an interrupted save";
    // 1-based, as the trainer's progress lines count epochs.
    const bool trained = last.epoch + 1 >= trial.train.epochs;
    how = "resuming " + was + " trial " +
          (trained ? std::string("at its test evaluation")
                   : "from epoch " + std::to_string(last.epoch + 2) + "/" +
                         std::to_string(trial.train.epochs)) +
          " (checkpoint after epoch " + std::to_string(last.epoch + 1) + recovered + ")";
    if (!recovered.empty()) store_.record_event(trial_id, last.epoch, "checkpoint_recovered", how);
  } else {
    if (!last.why_not.empty()) how += " (" + last.why_not + ")";
    // The new attempt re-records every epoch; rows of the old one that it
    // does not overwrite (later epochs, metrics it no longer has, final
    // rows) would otherwise read as part of it.
    store_.restart_trial(trial_id, how);
  }
  return run;
}

TrialOutcome TrialAttempts::train(const TrialSpec& trial, const TrialRun& run, StoreSink& sink,
                                  const std::string& auto_batch_error) const {
  TrialOutcome outcome;
  outcome.status = TrialStatus::failed;
  try {
    if (!auto_batch_error.empty()) {
      outcome.error = auto_batch_error;
      return outcome;
    }
    if (options_.data_parallel != nullptr) announce_trial(*options_.data_parallel, trial.key, run);
    return trainer_.run(trial, run, sink);
  } catch (const std::bad_alloc&) {
    outcome.error = "out of memory";
  } catch (const c10::Error& error) {
    outcome.error = first_line(error.what_without_backtrace());
  } catch (const std::exception& error) {
    outcome.error = first_line(error.what());
  }
  return outcome;
}

TrialOutcome TrialAttempts::run(int64_t experiment_id, const TrialSpec& planned,
                                const std::optional<TrialRecord>& existing,
                                const std::string& label) const {
  TrialSpec trial = planned;
  const std::string auto_batch_error = resolve_machine_settings(trial, label);
  const int64_t trial_id = store_.start_trial(experiment_id, provenance_of(trial));
  std::string how;
  const TrialRun run = prepare_checkpoints(trial_id, trial, existing, how);
  out_ << label << ": " << how << " (trial " << trial_id << ", seed " << trial.seed << ", "
       << trial.train.device << ")\n"
       << std::flush;
  if (options_.shard) {
    // Provenance that survives `results merge`: which part of the sweep,
    // on which host, in which database this attempt ran.
    store_.record_event(trial_id, existing ? existing->last_epoch : -1, "shard",
                        "shard " + options_.shard->text() + " of the sweep on host " + host_ +
                            ", database '" + options_.database.string() + "'");
  }
  StoreSink sink(store_, trial_id);
  TrialOutcome outcome = train(trial, run, sink, auto_batch_error);
  if (outcome.checkpoint_unusable && run.resume_from) {
    // Say so, forget the old attempt and its checkpoint, and start again:
    // a checkpoint that does not fit would fail every later run the same way.
    const std::string how = "rerunning from the start (" + outcome.error + ")";
    out_ << label << ": " << how << "\n" << std::flush;
    store_.restart_trial(trial_id, how);
    std::filesystem::remove_all(*run.resume_from);
    TrialRun fresh = run;
    fresh.resume_from.reset();
    outcome = train(trial, fresh, sink, auto_batch_error);
  }
  if (!sink.failure().empty()) {
    // The trial can go on from its last checkpoint once the database can
    // be written again: interrupted, with the write that failed as reason.
    outcome.status = TrialStatus::interrupted;
    outcome.error = sink.failure();
  }
  try {
    if (!outcome.gallery.empty()) store_.record_gallery(trial_id, outcome.gallery);
    store_.finish_trial(trial_id, outcome.status, outcome.error, outcome.final_metrics,
                        outcome.throughput);
  } catch (const StoreError&) {
    // A full disk fails this write too; the first failure says where it began.
    if (!sink.failure().empty()) throw StoreError(sink.failure());
    throw;
  }
  return outcome;
}

}  // namespace stegolab
