#include "trainer/directory_checkpointer.hpp"

#include "checkpoint/checkpoint.hpp"

namespace stegolab {

void DirectoryCheckpointer::save(const std::filesystem::path& dir,
                                 const std::vector<NamedModule>& modules, const Strategy& strategy,
                                 const nlohmann::json& components, int64_t image_size,
                                 int64_t channels, const CheckpointRecord& record) {
  CheckpointManifest manifest;
  manifest.components = components;
  manifest.image_size = image_size;
  manifest.channels = channels;
  manifest.epoch = record.epoch;
  manifest.metrics = record.metrics;
  manifest.trainer_state = record.trainer_state;
  save_checkpoint(dir, modules, manifest, &strategy);
}

CheckpointRecord DirectoryCheckpointer::load(const std::filesystem::path& dir,
                                             const std::vector<NamedModule>& modules,
                                             Strategy& strategy, torch::Device device) {
  const CheckpointManifest manifest = read_checkpoint_manifest(dir);
  for (const auto& module : modules) {
    load_module_weights(dir, module, module_owner(manifest, module.first), device);
  }
  load_strategy_state(dir, strategy);
  CheckpointRecord record;
  record.epoch = manifest.epoch;
  record.metrics = manifest.metrics;
  record.trainer_state = manifest.trainer_state;
  return record;
}

}  // namespace stegolab
