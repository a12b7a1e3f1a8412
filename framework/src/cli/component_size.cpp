#include "cli/component_size.hpp"

#include "task_host/section_builder.hpp"
#include "trainer/trial_components.hpp"

namespace stegolab::cli {

namespace {

// The task's sections with `component` in the first one of its kind; ""
// when the task has no section of that kind. Returns the configuration's
// description ("task t, model m, loss l").
std::string fill_sections(const PluginRegistry& registry, const PluginInfo& task,
                          const ComponentRecord& component, SectionSpecs& sections) {
  std::string used;
  bool placed = false;
  for (const ComponentNeed& need : task.components) {
    std::string plugin = need.default_plugin;
    if (need.kind == component.info.kind && !placed) {
      plugin = component.info.name;
      placed = true;
    } else if (plugin.empty()) {
      const auto installed = registry.components(need.kind);
      if (installed.empty()) continue;
      plugin = installed.front()->info.name;
    }
    sections[need.section] = {plugin, nlohmann::json::object()};
    used += ", " + need.section + " " + plugin;
  }
  return placed ? "task " + task.name + used : "";
}

}  // namespace

void print_component_size(const PluginRegistry& registry, const ComponentRecord& component,
                          std::ostream& out) {
  for (const ComponentRecord* task_record : registry.components("task")) {
    SectionSpecs sections;
    const std::string configuration =
        fill_sections(registry, task_record->info, component, sections);
    if (configuration.empty()) continue;
    try {
      BuildContext context;
      context.image_size = 64;
      auto task = registry.build<Task>(task_record->info.name, nlohmann::json::object(), context);
      SectionBuilder builder(
          "task '" + task_record->info.name + "'", sections,
          [&registry](const std::string& kind, const ComponentSpec& spec, const BuildContext& c) {
            return registry.build_erased(kind, spec.plugin, spec.params, c);
          });
      task->build(builder, context);
      out << "\ndefault configuration (" << configuration
          << "): " << parameter_count(task->modules()) << " trainable parameters, "
          << task->inference_flops(224, 224) / 1e9 << " GFLOP per 224x224 image (inference)\n";
    } catch (const std::exception& error) {
      out << "\n(could not build the default configuration, " << configuration << ": "
          << first_line(error.what()) << ")\n";
    }
    return;
  }
}

}  // namespace stegolab::cli
