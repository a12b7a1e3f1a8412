// Checkpoints: a directory with the model's weights, the optimiser state and
// a manifest naming the plugins and parameters that rebuild the model.
//
//   model.pt          torch::serialize archive of the model module
//   strategy.pt       the strategy's state (optional)
//   checkpoint.json   {"format": 1, "components": {"transform": {"plugin", "version",
//                     "params"}, "model": {...}}, "image_size", "channels", "epoch",
//                     "metrics", "resize"}
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>
#include <torch/types.h>

#include "plugin_host/plugin_registry.hpp"
#include "stegolab/errors.hpp"
#include "stegolab/model.hpp"
#include "stegolab/strategy.hpp"
#include "stegolab/transform.hpp"

namespace stegolab {

// A checkpoint is missing, incomplete or does not match its plugins.
class CheckpointError : public Error {
 public:
  using Error::Error;
};

struct CheckpointManifest {
  nlohmann::json components;  // {"transform": {"plugin", "version", "params"}, "model": {...}}
  int64_t image_size = 0;     // square training images, pixels per side
  int64_t channels = 3;
  int64_t epoch = 0;
  nlohmann::json metrics = nlohmann::json::object();
  std::string resize = "resize";  // how other image sizes are fitted to image_size
};

// The manifest entry for one component, as save_checkpoint expects it.
nlohmann::json component_entry(const std::string& plugin, const std::string& version,
                               const nlohmann::json& params);

// Writes into a temporary sibling directory, then renames it into place, so
// `dir` is either the old checkpoint or the complete new one, never half of one.
void save_checkpoint(const std::filesystem::path& dir, StegoModel& model,
                     const CheckpointManifest& manifest, const Strategy* strategy = nullptr);

struct LoadedCheckpoint {
  CheckpointManifest manifest;
  std::shared_ptr<Transform> transform;
  std::shared_ptr<StegoModel> model;
};

// Rebuilds transform and model from their plugins and loads the weights onto
// `device`. Throws CheckpointError (not a checkpoint, weights of another
// model) or PluginLoadError (a plugin named in the manifest is not installed).
LoadedCheckpoint load_checkpoint(const std::filesystem::path& dir, const PluginRegistry& registry,
                                 torch::Device device);

// The manifest of the checkpoint in `dir`; CheckpointError when it is not one.
CheckpointManifest read_checkpoint_manifest(const std::filesystem::path& dir);

// Loads `dir`'s weights into an already built model, checking every shape
// (LibTorch's loader does not) so weights of another configuration are refused.
void load_model_weights(const std::filesystem::path& dir, StegoModel& model,
                        const std::string& model_name, torch::Device device);

// Restores the strategy's state; false when the checkpoint has none.
bool load_strategy_state(const std::filesystem::path& dir, Strategy& strategy);

}  // namespace stegolab
