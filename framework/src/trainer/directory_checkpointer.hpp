// DirectoryCheckpointer: the trainer's checkpoints as checkpoint-module
// directories, the same format `stegolab embed` / `extract` read.
#pragma once

#include "trainer/trial_checkpointer.hpp"

namespace stegolab {

class DirectoryCheckpointer : public TrialCheckpointer {
 public:
  void save(const std::filesystem::path& dir, StegoModel& model, const Strategy& strategy,
            const nlohmann::json& components, int64_t image_size, int64_t channels,
            int64_t epoch, const nlohmann::json& metrics) override;
  CheckpointRecord load(const std::filesystem::path& dir, StegoModel& model, Strategy& strategy,
                        torch::Device device) override;
};

}  // namespace stegolab
