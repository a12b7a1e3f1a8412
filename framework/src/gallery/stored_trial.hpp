// A recorded trial rebuilt for inference: its components built from the
// experiment stored in the database, exactly as the trainer built them, and
// the weights of one of its checkpoints loaded.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "data/joined_sources.hpp"
#include "plugin_host/plugin_registry.hpp"
#include "store/result_store.hpp"
#include "trainer/trial_components.hpp"

namespace stegolab {

struct StoredTrialRequest {
  std::string checkpoint = "best";  // "best" | "last": the folder under the trial's checkpoints
  std::string device = "cpu";
  std::optional<int64_t> image_size;  // the data source's `size` parameter, when given
};

struct StoredTrial {
  TrialSpec spec;
  TrialComponents components;  // weights loaded, evaluation mode
  DatasetSplits splits;
  std::filesystem::path checkpoint_dir;  // the trial's folder (best/, last/, gallery/)
};

// Throws Error naming the trial and what is missing (no checkpoint, an
// experiment that no longer validates with these plugins, a data source
// without a `size` parameter, weights that do not fit).
StoredTrial rebuild_stored_trial(const ResultStore& store, const TrialRecord& record,
                                 const PluginRegistry& registry, const StoredTrialRequest& request);

}  // namespace stegolab
