#include "spec/task_sections.hpp"

#include "plugin_host/param_types.hpp"
#include "spec/experiment_schema.hpp"
#include "spec/spec_error.hpp"

namespace stegolab {

namespace {

using nlohmann::json;

const ComponentNeed* need_of(const PluginInfo& task, const std::string& section) {
  for (const ComponentNeed& need : task.components) {
    if (need.section == section) return &need;
  }
  return nullptr;
}

void apply_best_metric(json& complete, const PluginInfo& task, const std::string& file) {
  json& best = complete["train"]["best_metric"];
  if (best.get<std::string>().empty()) best = task.best_metric;
  std::string names;
  for (const MetricDeclaration& metric : task.metrics) {
    if (metric.better.empty()) continue;
    if (metric.name == best.get<std::string>()) return;
    names += (names.empty() ? "" : ", ") + metric.name;
  }
  fail_spec(file, "train.best_metric",
            "expected an evaluation metric name of task '" + task.name + "' (one of: " + names +
                "), got " + best.dump());
}

}  // namespace

const PluginInfo& experiment_task(const json& document, const PluginCatalog& catalog,
                                  const std::string& file) {
  json name = "steganography";
  if (document.contains("task") && document.at("task").is_object() &&
      document.at("task").contains("plugin")) {
    name = document.at("task").at("plugin");
  }
  if (!name.is_string())
    fail_spec(file, "task.plugin", "expected the name of a task plugin, got " + name.dump());
  try {
    return catalog.info("task", name.get<std::string>());
  } catch (const std::exception& error) {
    fail_spec(file, "task.plugin", error.what());
  }
}

void move_task_eval_settings(json& document, const PluginInfo& task, const std::string& file) {
  if (!document.contains("eval") || !document.at("eval").is_object()) return;
  json& eval = document.at("eval");
  for (const ParamDoc& param : task.params) {
    if (!eval.contains(param.name)) continue;
    const json value = eval.at(param.name);
    const std::string label = "eval." + param.name;
    if (!json_matches_type(value, param.type)) {
      fail_spec(file, label, "expected " + describe_type(param.type) + ", got " + value.dump());
    }
    json& params = document["task"]["params"];
    if (params.is_null()) params = json::object();
    if (params.is_object() && params.contains(param.name) && params.at(param.name) != value) {
      fail_spec(file, label, "also given as task.params." + param.name + " with another value");
    }
    if (params.is_object()) params[param.name] = value;
    eval.erase(param.name);
  }
}

bool section_in_use(const json& complete, const std::string& section) {
  const json& plugin = complete.at(section).at("plugin");
  return !plugin.is_string() || !plugin.get<std::string>().empty();
}

void apply_task_needs(json& complete, const PluginInfo& task, const std::string& file) {
  for (const ComponentSection& section : ExperimentSchema::components()) {
    if (!section.task_section) continue;
    const ComponentNeed* need = need_of(task, section.section);
    json& plugin = complete[section.section]["plugin"];
    if (need == nullptr) {
      if (section_in_use(complete, section.section)) {
        fail_spec(file, std::string(section.section) + ".plugin",
                  "task '" + task.name + "' uses no " + section.section + " section");
      }
      continue;
    }
    if (!plugin.get<std::string>().empty() || need->optional) continue;
    if (need->default_plugin.empty()) {
      fail_spec(file, std::string(section.section) + ".plugin",
                "expected the name of a " + need->kind + " plugin, but the key is missing");
    }
    plugin = need->default_plugin;
  }
  apply_best_metric(complete, task, file);
}

}  // namespace stegolab
