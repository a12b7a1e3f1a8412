// DirectoryCheckpointer: the trainer's checkpoints as checkpoint-module
// directories, the same format the tasks' commands restore (load_checkpoint).
#pragma once

#include "trainer/trial_checkpointer.hpp"

namespace stegolab {

class DirectoryCheckpointer : public TrialCheckpointer {
 public:
  void save(const std::filesystem::path& dir, const std::vector<NamedModule>& modules,
            const Strategy& strategy, const nlohmann::json& components, int64_t image_size,
            int64_t channels, const CheckpointRecord& record) override;
  CheckpointRecord load(const std::filesystem::path& dir, const std::vector<NamedModule>& modules,
                        Strategy& strategy, torch::Device device) override;
};

}  // namespace stegolab
