// SweepRunner: runs an experiment's trials into a result store, skipping
// those already done and resuming interrupted or failed ones.
#pragma once

#include <atomic>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "plugin_host/plugin_registry.hpp"
#include "spec/experiment_spec.hpp"
#include "sweep/shard_selection.hpp"

namespace stegolab {

class ResultStore;
class DataParallelGroup;

struct RunOptions {
  std::filesystem::path database;       // created with its folder when missing
  bool force_new = false;               // register a changed experiment file as a new experiment
  std::string only;                     // run only trials whose key contains this
  std::optional<ShardSelection> shard;  // --shard i/N: this process's part of the sweep
  std::string device;                   // "" : the experiment's train.device; else "cpu" | "cuda"
  std::optional<int64_t> threads;       // --threads
  std::ostream* out = nullptr;          // progress and summary (default std::cout)
  // Rank 0 of a data-parallel run: trains each trial with the other ranks,
  // telling them which (run/trial_announcement.hpp).
  DataParallelGroup* data_parallel = nullptr;
};

struct RunSummary {
  int64_t selected = 0, done = 0, skipped = 0, failed = 0, interrupted = 0;
  std::vector<std::string> failures;  // "<key>: <reason>"
  bool stopped = false;               // a signal stopped the sweep
  int64_t experiment_id = 0;
};

// The folder of a database's checkpoints: results/x.db -> results/x.runs.
std::filesystem::path run_folder(const std::filesystem::path& database);

class SweepRunner {
 public:
  // `registry` and `spec` must outlive the runner; `interrupt` is polled
  // between trials and by the trainer between steps.
  SweepRunner(const PluginRegistry& registry, const ExperimentSpec& spec, RunOptions options,
              const std::atomic<bool>* interrupt);
  // Throws (one line) for problems of the database, and for a trial that had
  // to stop without a signal (a checkpoint it could not write), after
  // recording that trial as interrupted.
  RunSummary run();
  // The end of a run: the experiment's declared reports (the same rendering
  // as `stegolab report --all`), or print_summary_table() when it declares none, then
  // each trial's validation PSNRs at its first and last epoch.
  void print_reports(ResultStore& store, int64_t experiment_id, std::ostream& out) const;

 private:
  // The trials --shard and --only select, in sweep order.
  std::vector<const TrialSpec*> selected_trials() const;

  const PluginRegistry& registry_;
  const ExperimentSpec& spec_;
  RunOptions options_;
  const std::atomic<bool>* interrupt_;
};

}  // namespace stegolab
