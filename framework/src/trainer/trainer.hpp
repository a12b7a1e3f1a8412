// Trainer: runs one trial (build components, train, validate, test) and
// reports per-epoch metric rows, events and the final outcome.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "spec/trial_spec.hpp"
#include "stegolab/dataset.hpp"
#include "stegolab/strategy.hpp"
#include "stegolab/task.hpp"
#include "trainer/trial_checkpointer.hpp"
#include "trainer/trial_outcome.hpp"

namespace stegolab {

class PluginRegistry;
class DataParallelGroup;

struct TrainerOptions {
  const std::atomic<bool>* interrupt = nullptr;  // set by SIGINT/SIGTERM; checked between steps
  bool live_progress =
      true;  // \r-updated line on a terminal; plain periodic lines otherwise (decided with isatty)
  std::ostream* out = &std::cerr;
  // One rank of a data-parallel trial (nullptr: this process trains alone).
  DataParallelGroup* data_parallel = nullptr;
};

struct TrialRun {                        // where and from what a trial runs
  std::filesystem::path checkpoint_dir;  // <run folder>/<trial id>; writes last/ and best/ below it
  std::optional<std::filesystem::path> resume_from;  // a `last` checkpoint to continue from
};

// The run driver writes these to the result store.
class EpochSink {
 public:
  virtual ~EpochSink() = default;
  // Called once per completed epoch, never for a half-finished one.
  virtual void on_epoch(int64_t epoch, const std::vector<MetricRow>& rows) = 0;
  // kind: "divergence_restore", "nonfinite_loss", "checkpoint_best", ...
  virtual void on_event(int64_t epoch, const std::string& kind, const std::string& message) = 0;
};

// Builds a trial's components. The default one goes through the plugin
// registry; tests substitute in-process fakes (the registry only loads
// shared libraries).
class ComponentFactory {
 public:
  virtual ~ComponentFactory() = default;
  virtual std::shared_ptr<ImageSource> make_source(const ComponentSpec& spec,
                                                   const BuildContext& context) = 0;
  virtual std::shared_ptr<Task> make_task(const ComponentSpec& spec,
                                          const BuildContext& context) = 0;
  virtual std::shared_ptr<Strategy> make_strategy(const ComponentSpec& spec,
                                                  const BuildContext& context) = 0;
  // A component of one of the task's sections, of plugin kind `kind`,
  // type-erased (the pointer is the plugin's interface of that kind).
  virtual std::shared_ptr<void> make_section(const std::string& kind, const ComponentSpec& spec,
                                             const BuildContext& context) = 0;
};

class Trainer {
 public:
  // Components come from `registry` (which must outlive the trainer).
  Trainer(const PluginRegistry& registry, TrainerOptions options);
  // Components come from `factory` (tests).
  Trainer(std::shared_ptr<ComponentFactory> factory, TrainerOptions options);

  // Never throws for trial-level failures: returns status failed with the
  // reason; interrupted when the interrupt flag was set between steps or a
  // checkpoint could not be written (then with the reason).
  TrialOutcome run(const TrialSpec& trial, const TrialRun& run, EpochSink& sink);

  // Where last/ and best/ checkpoints go. Without one (or with an empty
  // TrialRun::checkpoint_dir) no checkpoints are written and resume_from is
  // refused.
  void set_checkpointer(std::shared_ptr<TrialCheckpointer> checkpointer) {
    checkpointer_ = std::move(checkpointer);
  }

 private:
  std::shared_ptr<ComponentFactory> factory_;
  std::shared_ptr<TrialCheckpointer> checkpointer_;
  TrainerOptions options_;
};

}  // namespace stegolab
