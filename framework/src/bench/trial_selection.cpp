#include "bench/trial_selection.hpp"

#include <algorithm>
#include <cstdlib>

#include "device/device_name.hpp"
#include "run/sweep_runner.hpp"
#include "run/thread_count.hpp"
#include "run/trial_plan.hpp"
#include "spec/experiment_schema.hpp"
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

void apply_overrides(TrialSpec& trial, const TrialOverrides& overrides, const std::string& file,
                     const PluginCatalog& catalog) {
  trial.train.device = overrides.device.empty()
                           ? resolve_device(trial.train.device, file + ": train.device")
                           : resolve_device(overrides.device, "--device");
  trial.train.threads =
      resolve_thread_count(overrides.threads, std::getenv("STEGOLAB_THREADS"), trial.train.threads);
  if (overrides.memory.empty()) return;
  // The components that declare a memory mode get it; the plugin checks the
  // value against its declared choices when it is built.
  std::string others;
  bool applied = false;
  for (auto& [section, component] : trial.sections) {
    if (component.plugin.empty()) continue;
    const PluginInfo& info = catalog.info(section_kind(section), component.plugin);
    const bool declares = std::any_of(info.params.begin(), info.params.end(),
                                      [](const ParamDoc& doc) { return doc.name == "memory"; });
    if (declares) {
      component.params["memory"] = overrides.memory;
      applied = true;
    } else {
      others += (others.empty() ? "" : ", ") + info.kind + " '" + info.name + "'";
    }
  }
  if (!applied) {
    throw Error("--memory: no component of trial '" + trial.key +
                "' declares a 'memory' parameter (" + (others.empty() ? "none" : others) + ")");
  }
}

}  // namespace stegolab
