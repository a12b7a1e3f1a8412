#include "bench/trial_selection.hpp"

#include <cstdlib>

#include "run/sweep_runner.hpp"
#include "run/thread_count.hpp"
#include "run/trial_plan.hpp"
#include "stegolab/errors.hpp"

namespace stegolab {

TrialSpec select_trial(const ExperimentSpec& spec, const std::string& key_part) {
  for (const auto& trial : spec.trials) {
    if (selected_by_only(trial.key, key_part)) return trial;
  }
  std::string keys;
  for (const auto& trial : spec.trials) keys += "\n  " + trial.key;
  throw Error(spec.file + ": no trial key contains \"" + key_part + "\"; the trials are:" + keys);
}

void apply_overrides(TrialSpec& trial, const TrialOverrides& overrides, const std::string& file) {
  trial.train.device = overrides.device.empty()
                           ? resolve_device(trial.train.device, file + ": train.device")
                           : resolve_device(overrides.device, "--device");
  trial.train.threads =
      resolve_thread_count(overrides.threads, std::getenv("STEGOLAB_THREADS"), trial.train.threads);
  if (!overrides.memory.empty()) {
    if (overrides.memory != "standard" && overrides.memory != "recompute") {
      throw Error("--memory: expected standard or recompute, got \"" + overrides.memory + "\"");
    }
    // The model plugin validates its parameters when it is built, so a model
    // without a memory mode reports this override by name.
    trial.model.params["memory"] = overrides.memory;
  }
}

}  // namespace stegolab
