// `stegolab plugins`: what is installed, where it came from, what it takes.
#include <algorithm>
#include <iomanip>
#include <iostream>

#include <torch/torch.h>
#include <boost/program_options.hpp>

#include "cli/command_line.hpp"
#include "cli/commands.hpp"
#include "cli/component_size.hpp"
#include "cli/plugin_path_option.hpp"

namespace stegolab::cli {

namespace {

namespace po = boost::program_options;

nlohmann::json describe(const ComponentRecord& component) {
  nlohmann::json params = nlohmann::json::array();
  for (const auto& doc : component.info.params) {
    params.push_back({{"name", doc.name},
                      {"type", doc.type},
                      {"default", doc.default_value},
                      {"required", doc.default_value.is_null()},
                      {"help", doc.help}});
  }
  return {{"kind", component.info.kind},
          {"name", component.info.name},
          {"version", component.info.version},
          {"summary", component.info.summary},
          {"file", component.file.string()},
          {"api_version", component.info.api_version},
          {"params", params}};
}

std::string format_default(const ParamDoc& doc) {
  if (doc.default_value.is_null()) return "(required)";
  return doc.default_value.dump();
}

// A task's sections and metrics, as `plugins show` lists them.
void print_task_declarations(const PluginInfo& info, std::ostream& out) {
  out << "\nsections:\n";
  for (const ComponentNeed& need : info.components) {
    out << "  " << need.section << " (" << need.kind << ", "
        << (need.optional ? "optional" : "required")
        << (need.default_plugin.empty() ? "" : ", default " + need.default_plugin)
        << "): " << need.help << "\n";
  }
  out << "\nmetrics (best_metric default: " << info.best_metric << "):\n";
  for (const MetricDeclaration& metric : info.metrics) {
    out << "  " << metric.name << (metric.unit.empty() ? "" : " [" + metric.unit + "]")
        << (metric.better.empty() ? "" : ", " + metric.better + " is better") << "\n";
  }
}

int show(const PluginRegistry& registry, const std::string& name, bool as_json) {
  const ComponentRecord* component = registry.find_any_kind(name);
  if (!component) {
    std::vector<std::string> names;
    for (const auto* item : registry.components()) names.push_back(item->info.name);
    const std::string suggestion = closest_name(name, names);
    throw PluginLoadError("no plugin named '" + name + "'" +
                          (suggestion.empty() ? "" : " (did you mean '" + suggestion + "'?)") +
                          "; 'stegolab plugins' lists them");
  }
  if (as_json) {
    std::cout << describe(*component).dump(2) << "\n";
    return 0;
  }
  const auto& info = component->info;
  std::cout << info.name << " (" << info.kind << ", version " << info.version << ")\n"
            << "  " << info.summary << "\n"
            << "  file: " << component->file.string() << "\n\nparameters:\n";
  if (info.params.empty()) std::cout << "  (none)\n";
  size_t name_width = 4;
  size_t default_width = 7;
  for (const auto& doc : info.params) {
    name_width = std::max(name_width, doc.name.size());
    default_width = std::max(default_width, format_default(doc).size());
  }
  for (const auto& doc : info.params) {
    std::cout << "  " << std::left << std::setw(static_cast<int>(name_width)) << doc.name << "  "
              << std::setw(6) << doc.type << "  " << std::setw(static_cast<int>(default_width))
              << format_default(doc) << "  " << doc.help << "\n";
  }
  if (!info.components.empty()) print_task_declarations(info, std::cout);
  if (info.kind == "model") print_component_size(registry, *component, std::cout);
  return 0;
}

int list(const PluginRegistry& registry, bool as_json) {
  const auto components = registry.components();
  if (as_json) {
    nlohmann::json out = {{"components", nlohmann::json::array()},
                          {"problems", nlohmann::json::array()}};
    for (const auto* component : components) out["components"].push_back(describe(*component));
    for (const auto& problem : registry.problems()) {
      out["problems"].push_back({{"file", problem.file.string()}, {"message", problem.message}});
    }
    std::cout << out.dump(2) << "\n";
    return registry.problems().empty() ? 0 : 1;
  }
  size_t name_width = 4;
  size_t file_width = 4;
  for (const auto* component : components) {
    name_width = std::max(name_width, component->info.name.size());
    file_width = std::max(file_width, component->file.filename().string().size());
  }
  std::cout << std::left << std::setw(10) << "KIND" << std::setw(static_cast<int>(name_width) + 2)
            << "NAME" << std::setw(9) << "VERSION" << std::setw(static_cast<int>(file_width) + 2)
            << "FILE"
            << "SUMMARY\n";
  for (const auto* component : components) {
    const auto& info = component->info;
    std::cout << std::setw(10) << info.kind << std::setw(static_cast<int>(name_width) + 2)
              << info.name << std::setw(9) << info.version
              << std::setw(static_cast<int>(file_width) + 2) << component->file.filename().string()
              << info.summary << "\n";
  }
  if (components.empty()) std::cout << "(no plugins found)\n";
  std::vector<std::string> folders;
  for (const auto* component : components) {
    const auto folder = component->file.parent_path().string();
    if (std::find(folders.begin(), folders.end(), folder) == folders.end())
      folders.push_back(folder);
  }
  for (const auto& folder : folders) std::cout << "from " << folder << "\n";
  if (!registry.problems().empty()) {
    std::cout << "\n" << registry.problems().size() << " plugin file(s) could not be loaded:\n";
    for (const auto& problem : registry.problems()) std::cout << "  " << problem.message << "\n";
    return 1;
  }
  return 0;
}

}  // namespace

int plugins_command(const Arguments& args) {
  std::vector<std::string> plugin_paths;
  std::vector<std::string> positional;
  po::options_description options("stegolab plugins [show NAME] [options]");
  options.add_options()("help,h", "show this help")("json", "print JSON instead of a table");
  add_plugin_path_option(options, &plugin_paths);
  po::variables_map vm;
  if (!parse_command_line("plugins", args, options, vm, &positional)) return 0;
  const bool as_json = vm.count("json") > 0;
  const PluginRegistry registry = load_plugins(plugin_paths, nullptr);
  if (positional.empty()) return list(registry, as_json);
  if (positional[0] == "show" && positional.size() == 2)
    return show(registry, positional[1], as_json);
  throw Error("usage: stegolab plugins [show NAME] [--json] [--plugin-path P]...");
}

}  // namespace stegolab::cli
