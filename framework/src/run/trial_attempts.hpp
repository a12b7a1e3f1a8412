// One attempt at one trial of a sweep: the settings of this machine (device,
// threads, an "auto" batch size), the provenance, the checkpoint folder and
// whether to resume from it, the trainer's run and its recording.
#pragma once

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>

#include "plugin_host/plugin_registry.hpp"
#include "run/sweep_runner.hpp"
#include "spec/experiment_spec.hpp"
#include "store/result_store.hpp"
#include "trainer/trainer.hpp"

namespace stegolab {

// Applies --device and --threads (then STEGOLAB_THREADS, then the file) to
// `trial`, as every attempt does; `file` names the experiment in errors.
void apply_machine_settings(TrialSpec& trial, const RunOptions& options, const std::string& file);

class TrialAttempts {
 public:
  // Every reference must outlive the object; `out` gets the progress lines.
  TrialAttempts(const PluginRegistry& registry, const ExperimentSpec& spec,
                const RunOptions& options, ResultStore& store, Trainer& trainer, std::ostream& out);

  // Runs `planned` (not done; `existing` is its row, if any) and records its
  // outcome; `label` ("[2/4] key") starts every line it prints.
  TrialOutcome run(int64_t experiment_id, const TrialSpec& planned,
                   const std::optional<TrialRecord>& existing, const std::string& label) const;

 private:
  // Applies --device, --threads and "auto" batch size; returns why the batch
  // size could not be found ("" when it could or was not asked for).
  std::string resolve_machine_settings(TrialSpec& trial, const std::string& label) const;
  TrialProvenance provenance_of(const TrialSpec& trial) const;
  // The checkpoint folder of `trial_id`, resuming from its last checkpoint
  // when it can; `how` says what happens ("starting", "resuming ...").
  TrialRun prepare_checkpoints(int64_t trial_id, const TrialSpec& trial,
                               const std::optional<TrialRecord>& existing, std::string& how) const;
  class StoreSink;
  TrialOutcome train(const TrialSpec& trial, const TrialRun& run, StoreSink& sink,
                     const std::string& auto_batch_error) const;

  const PluginRegistry& registry_;
  const ExperimentSpec& spec_;
  const RunOptions& options_;
  ResultStore& store_;
  Trainer& trainer_;
  std::ostream& out_;
  std::filesystem::path runs_;
  std::string revision_, host_;
};

}  // namespace stegolab
