// Rebuilding a checkpoint's task from the installed plugins (the commands'
// path; the trainer rebuilds from the experiment and only loads weights).
#include <iostream>

#include <torch/torch.h>

#include "checkpoint/checkpoint.hpp"
#include "task_host/section_builder.hpp"

namespace stegolab {

namespace {

// The recorded plugin version differing from the installed one is worth a
// note, not a failure: weights usually still fit, and loading checks that.
void note_version(const nlohmann::json& entry, const PluginRegistry& registry,
                  const std::string& kind) {
  const auto& record = registry.find(kind, entry.at("plugin").get<std::string>());
  const std::string recorded = entry.value("version", "");
  if (!recorded.empty() && recorded != record.info.version) {
    std::cerr << "note: checkpoint made with " << kind << " '" << record.info.name << "' "
              << recorded << ", installed is " << record.info.version << "\n";
  }
}

ComponentSpec spec_of(const nlohmann::json& entry) {
  return {entry.at("plugin").get<std::string>(), entry.value("params", nlohmann::json::object())};
}

// The task's sections as the manifest names them, checked to name a plugin.
SectionSpecs manifest_sections(const CheckpointManifest& manifest, const PluginInfo& task,
                               const PluginRegistry& registry, const std::filesystem::path& dir) {
  SectionSpecs sections;
  for (const ComponentNeed& need : task.components) {
    if (!manifest.components.contains(need.section)) continue;
    const nlohmann::json& entry = manifest.components.at(need.section);
    if (!entry.is_object() || !entry.contains("plugin") || !entry.at("plugin").is_string()) {
      throw CheckpointError("'" + (dir / "checkpoint.json").string() + "': \"components\"." +
                            need.section + " has no \"plugin\" name");
    }
    note_version(entry, registry, need.kind);
    sections[need.section] = spec_of(entry);
  }
  return sections;
}

}  // namespace

LoadedCheckpoint load_checkpoint(const std::filesystem::path& dir, const PluginRegistry& registry,
                                 torch::Device device) {
  LoadedCheckpoint loaded;
  loaded.manifest = read_checkpoint_manifest(dir);
  const CheckpointManifest& manifest = loaded.manifest;
  const ComponentSpec task_spec = spec_of(manifest_task(manifest));
  const PluginInfo& task_info = registry.find("task", task_spec.plugin).info;

  BuildContext context;
  context.device = device;
  context.image_size = manifest.image_size;
  context.channels = manifest.channels;
  loaded.task = registry.build<Task>(task_spec.plugin, task_spec.params, context);
  SectionBuilder builder(
      "task '" + task_spec.plugin + "'", manifest_sections(manifest, task_info, registry, dir),
      [&registry](const std::string& kind, const ComponentSpec& spec, const BuildContext& c) {
        return registry.build_erased(kind, spec.plugin, spec.params, c);
      });
  loaded.task->build(builder, context);
  for (const NamedModule& module : loaded.task->modules()) {
    load_module_weights(dir, module, module_owner(manifest, module.first), device);
    module.second->eval();
  }
  return loaded;
}

}  // namespace stegolab
