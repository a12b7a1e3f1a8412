// Picking one trial of an experiment for `bench step` and `tune-batch`, and
// the command-line overrides both apply to it before building it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "spec/experiment_spec.hpp"
#include "spec/plugin_catalog.hpp"

namespace stegolab {

// The first trial whose key contains `key_part` (the first trial when it is
// empty). Throws Error listing the keys when none matches.
TrialSpec select_trial(const ExperimentSpec& spec, const std::string& key_part);

struct TrialOverrides {
  std::string device;              // "" : the trial's train.device; "cpu" | "cuda" | "auto"
  std::optional<int64_t> threads;  // --threads (else STEGOLAB_THREADS, train.threads, all)
  std::string memory;              // "" : as the trial says; else the `memory` parameter of
                                   // every component that declares one
};

// Resolves the device and the thread count into `trial` (so that building
// its components applies them) and sets the memory mode of the components
// that declare one (Error when none does).
void apply_overrides(TrialSpec& trial, const TrialOverrides& overrides, const std::string& file,
                     const PluginCatalog& catalog);

}  // namespace stegolab
