// Checkpoints: a directory with the task's trained modules, the optimiser
// state and a manifest naming the plugins and parameters that rebuild them.
//
//   <module>.pt       torch::serialize archive of each of the task's modules
//                     (the steganography task has one, model.pt)
//   strategy.pt       the strategy's state (optional)
//   checkpoint.json   {"format": 1, "components": {"task": {"plugin", "version",
//                     "params"}, "<section>": {...}}, "image_size", "channels",
//                     "epoch", "metrics", "resize", "trainer_state"}. A manifest
//                     without "task" (written before tasks existed) is the
//                     steganography task; one without "trainer_state" resumes
//                     with a fresh divergence guard.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include <torch/types.h>
#include <nlohmann/json.hpp>

#include <vector>
#include "plugin_host/plugin_registry.hpp"

#include "stegolab/errors.hpp"
#include "stegolab/strategy.hpp"
#include "stegolab/task.hpp"

namespace stegolab {

// A checkpoint is missing, incomplete or does not match its plugins.
class CheckpointError : public Error {
 public:
  using Error::Error;
};

struct CheckpointManifest {
  nlohmann::json components;  // {"task": {"plugin", "version", "params"}, "<section>": {...}}
  int64_t image_size = 0;     // square training images, pixels per side
  int64_t channels = 3;
  int64_t epoch = 0;
  nlohmann::json metrics = nlohmann::json::object();
  std::string resize = "resize";  // how other image sizes are fitted to image_size
  // The trainer's own state between epochs, for a bit-identical resume; null
  // when not kept (and then not written).
  nlohmann::json trainer_state;
};

// The manifest entry for one component, as save_checkpoint expects it.
nlohmann::json component_entry(const std::string& plugin, const std::string& version,
                               const nlohmann::json& params);

// The task a manifest names: {"plugin", "params"}; the steganography task
// for manifests written before tasks existed.
nlohmann::json manifest_task(const CheckpointManifest& manifest);

// "model 'star_inn'": the plugin of the manifest's section `name`, for messages.
std::string module_owner(const CheckpointManifest& manifest, const std::string& name);

// Writes into a temporary sibling directory, syncs it to the disk, then puts
// it in place (checkpoint_slot.hpp), so `dir` is either the old checkpoint or
// the complete new one, never half of one. Throws CheckpointError, on one
// line, for any failure (a full disk included), leaving no temporary behind.
void save_checkpoint(const std::filesystem::path& dir, const std::vector<NamedModule>& modules,
                     const CheckpointManifest& manifest, const Strategy* strategy = nullptr);

struct LoadedCheckpoint {
  CheckpointManifest manifest;
  std::shared_ptr<Task> task;  // built, weights loaded, in evaluation mode
};

// Rebuilds the task and its sections from their plugins and loads the
// weights onto `device`. Throws CheckpointError (not a checkpoint, weights of
// another model) or PluginLoadError (a plugin named in the manifest is not
// installed).
LoadedCheckpoint load_checkpoint(const std::filesystem::path& dir, const PluginRegistry& registry,
                                 torch::Device device);

// The manifest of the checkpoint in `dir`; CheckpointError when it is not one.
CheckpointManifest read_checkpoint_manifest(const std::filesystem::path& dir);

// Loads `dir`/<name>.pt into an already built module, checking every shape
// (LibTorch's loader does not) so weights of another configuration are
// refused; `owner` ("model 'star_inn'") names it in messages.
void load_module_weights(const std::filesystem::path& dir, const NamedModule& module,
                         const std::string& owner, torch::Device device);

// Restores the strategy's state; false when the checkpoint has none.
bool load_strategy_state(const std::filesystem::path& dir, Strategy& strategy);

}  // namespace stegolab
