// How the trainer writes and reads a trial's checkpoints (last/ and best/).
// The default implementation goes through the checkpoint module; tests use
// an in-memory one.
#pragma once

#include <cstdint>
#include <filesystem>

#include <torch/types.h>
#include <nlohmann/json.hpp>

#include <vector>

#include "stegolab/strategy.hpp"
#include "stegolab/task.hpp"

namespace stegolab {

// What the trainer needs back from a checkpoint's manifest.
struct CheckpointRecord {
  int64_t epoch = -1;                                 // the last completed epoch (0-based)
  nlohmann::json metrics = nlohmann::json::object();  // as saved, including "best/..." keys
  // The trainer's state between epochs (its divergence guard); null when the
  // checkpoint predates it.
  nlohmann::json trainer_state;
};

class TrialCheckpointer {
 public:
  virtual ~TrialCheckpointer() = default;
  // Writes (replaces) a checkpoint in `dir`; throws stegolab::Error, on one
  // line, when it cannot (the trial then stops as interrupted). components:
  // {"task": {"plugin", "params"}, "<section>": {...}} of the resolved trial
  // (the task's checkpoint sections); `record`: what load() gives back.
  virtual void save(const std::filesystem::path& dir, const std::vector<NamedModule>& modules,
                    const Strategy& strategy, const nlohmann::json& components, int64_t image_size,
                    int64_t channels, const CheckpointRecord& record) = 0;
  // Loads the modules' weights and the strategy state in `dir` into already
  // built components (on `device`) and returns the manifest's epoch and metrics.
  virtual CheckpointRecord load(const std::filesystem::path& dir,
                                const std::vector<NamedModule>& modules, Strategy& strategy,
                                torch::Device device) = 0;
};

}  // namespace stegolab
