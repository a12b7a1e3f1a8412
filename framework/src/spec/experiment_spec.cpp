#include "spec/experiment_spec.hpp"

#include <fstream>
#include <set>
#include <sstream>

#include "plugin_host/retired_params.hpp"
#include "spec/declared_report_check.hpp"
#include "spec/experiment_schema.hpp"
#include "spec/retired_section_params.hpp"
#include "spec/task_sections.hpp"
#include "stegolab/params.hpp"
#include "sweep/json_path.hpp"
#include "sweep/sweep_expansion.hpp"

namespace stegolab {

namespace {

using nlohmann::json;

json parse_json(const std::string& text, const std::string& file) {
  try {
    return json::parse(text);
  } catch (const json::parse_error& error) {
    // error.byte is the 1-based offset of the character that failed.
    const size_t end = std::min(error.byte == 0 ? 0 : error.byte - 1, text.size());
    size_t line = 1, column = 1;
    for (size_t i = 0; i < end; ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    // nlohmann's text: "[json.exception.parse_error.101] parse error at line L, column C: <why>".
    std::string why = error.what();
    const size_t colon = why.find(": ", why.find("column"));
    if (colon != std::string::npos) why = why.substr(colon + 2);
    throw SpecError(file + ": line " + std::to_string(line) + ", column " + std::to_string(column) +
                    ": invalid JSON: " + why);
  }
}

// The component `name` of `kind`; an unknown one is reported at `label`.
const PluginInfo& checked_plugin(const PluginCatalog& catalog, const std::string& kind,
                                 const json& name, const std::string& file,
                                 const std::string& label) {
  if (!name.is_string())
    fail_spec(file, label, "expected the name of a " + kind + " plugin, got " + name.dump());
  try {
    return catalog.info(kind, name.get<std::string>());
  } catch (const SpecError&) {
    throw;
  } catch (const std::exception& error) {
    fail_spec(file, label, error.what());
  }
}

const ComponentSection* component_of(const std::string& section) {
  for (const auto& component : ExperimentSchema::components()) {
    if (section == component.section) return &component;
  }
  return nullptr;
}

// Checks that `path` names something a sweep can vary and `values` suit it.
// `plugin_choice` lists the plugins the path's component takes where the path applies.
void check_sweep_path(const std::string& path, const std::vector<json>& values,
                      const std::vector<std::string>& labels, const json& plugin_choice,
                      const json& complete, const std::string& file, const std::string& label,
                      const PluginCatalog& catalog) {
  const auto& schema = ExperimentSchema::get();
  const auto parts = split_json_path(path);
  const ComponentSection* component = parts.size() >= 2 ? component_of(parts[0]) : nullptr;
  if (component && parts[1] == "params") {
    if (parts.size() != 3 || parts[2].empty()) {
      fail_spec(file, label,
                "expected a plugin parameter path of the form " + parts[0] + ".params.<name>");
    }
    // The plugins this component takes where the path applies.
    std::set<std::string> plugins;
    for (const auto& name : plugin_choice) {
      if (name.is_string()) plugins.insert(name.get<std::string>());
    }
    for (const auto& plugin : plugins) {
      const PluginInfo& info = checked_plugin(catalog, component->kind, json(plugin), file,
                                              std::string(parts[0]) + ".plugin");
      std::vector<std::string> names;
      for (const auto& doc : info.params) names.push_back(doc.name);
      if (std::find(names.begin(), names.end(), parts[2]) != names.end()) continue;
      if (const RetiredParam* retired = first_retired_param(info, json{{parts[2], nullptr}}))
        fail_spec(file, label, retired_param_message(info, *retired));
      const std::string suggestion = closest_name(parts[2], names);
      std::string listing;
      for (const auto& name : names) listing += (listing.empty() ? "" : ", ") + name;
      fail_spec(file, label,
                std::string(component->kind) + " '" + plugin + "' has no parameter '" + parts[2] +
                    "'" + (suggestion.empty() ? "" : " (did you mean '" + suggestion + "'?)") +
                    "; its parameters: " + (listing.empty() ? "none" : listing));
    }
    return;
  }
  const FieldRule* rule = schema.rule(path);
  if (!rule || !rule->sweepable) {
    std::vector<std::string> candidates = schema.sweepable_paths();
    for (const auto& c : ExperimentSchema::components()) {
      const json* params = find_json_path(complete, std::string(c.section) + ".params");
      if (!params) continue;
      for (const auto& item : params->items())
        candidates.push_back(std::string(c.section) + ".params." + item.key());
    }
    const std::string suggestion = closest_name(path, candidates);
    fail_spec(file, label,
              rule ? "'" + path + "' cannot be swept"
                   : "'" + path + "' is not a setting of the experiment" +
                         (suggestion.empty() ? "" : " (did you mean '" + suggestion + "'?)"));
  }
  for (size_t i = 0; i < values.size(); ++i) {
    schema.check_value(*rule, values[i], file, labels[i]);
    if (component && parts[1] == "plugin") {
      checked_plugin(catalog, component->kind, values[i], file, labels[i]);
    }
  }
}

TrialSpec make_trial(const json& doc, const std::string& name, const SweepPoint& point,
                     const PluginInfo& task) {
  TrialSpec trial;
  trial.experiment = name;
  trial.key = point.key;
  trial.sweep_point = point.values;
  trial.repeat = point.repeat;
  auto component = [&](const char* section) {
    return ComponentSpec{doc.at(section).at("plugin").get<std::string>(),
                         doc.at(section).at("params")};
  };
  trial.task = component("task");
  trial.task_metrics = task.metrics;
  trial.data = component("data");
  for (const auto& c : ExperimentSchema::components()) {
    if (c.task_section && section_in_use(doc, c.section))
      trial.sections[c.section] = component(c.section);
  }
  trial.strategy = component("strategy");
  const json& split = doc.at("data").at("split");
  trial.split = {split.at("train").get<double>(), split.at("val").get<double>(),
                 split.at("test").get<double>()};
  for (const char* name : kSplitsWithOwnSource) {
    if (!has_own_source(doc, name)) continue;
    const json& own = doc.at("data").at(name);
    trial.split_sources[name] = {own.at("plugin").get<std::string>(), own.at("params")};
    const std::string which = name;
    (which == "train" ? trial.split.train : which == "val" ? trial.split.val : trial.split.test) =
        0.0;
  }

  const json& train = doc.at("train");
  TrainSettings& t = trial.train;
  t.epochs = train.at("epochs").get<int64_t>();
  t.batch_size_auto = train.at("batch_size").is_string();
  t.batch_size = t.batch_size_auto ? 0 : train.at("batch_size").get<int64_t>();
  t.steps_per_epoch = train.at("steps_per_epoch").get<int64_t>();
  const json& optimizer = train.at("optimizer");
  t.optimizer.name = optimizer.at("name").get<std::string>();
  t.optimizer.lr = optimizer.at("lr").get<double>();
  t.optimizer.beta1 = optimizer.at("beta1").get<double>();
  t.optimizer.beta2 = optimizer.at("beta2").get<double>();
  t.optimizer.eps = optimizer.at("eps").get<double>();
  t.optimizer.weight_decay = optimizer.at("weight_decay").get<double>();
  const json& schedule = train.at("schedule");
  t.schedule.name = schedule.at("name").get<std::string>();
  t.schedule.warmup_steps = schedule.at("warmup_steps").get<int64_t>();
  t.schedule.min_factor = schedule.at("min_factor").get<double>();
  t.schedule.step_size = schedule.at("step_size").get<int64_t>();
  t.schedule.gamma = schedule.at("gamma").get<double>();
  t.seed = train.at("seed").get<uint64_t>();
  t.device = train.at("device").get<std::string>();
  t.threads = train.at("threads").get<int64_t>();
  t.deterministic = train.at("deterministic").get<bool>();
  t.best_metric = train.at("best_metric").get<std::string>();
  t.max_nonfinite_steps = train.at("max_nonfinite_steps").get<int64_t>();
  t.max_restores = train.at("max_restores").get<int64_t>();
  t.restore_lr_factor = train.at("restore_lr_factor").get<double>();
  t.explode_factor = train.at("explode_factor").get<double>();

  const json& eval = doc.at("eval");
  trial.eval.every = eval.at("every").get<int64_t>();
  trial.eval.batch_size = eval.at("batch_size").get<int64_t>();
  trial.eval.gallery = eval.at("gallery").get<int64_t>();

  // Repeats differ only in their seed; documented in docs/experiments.md.
  trial.seed = t.seed + static_cast<uint64_t>(point.repeat);
  trial.resolved = doc;
  trial.resolved.erase("sweep");
  trial.resolved.erase("reports");
  return trial;
}

}  // namespace

ExperimentSpec load_experiment(const std::filesystem::path& file, const PluginCatalog& catalog) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw SpecError(file.string() + ": cannot read the experiment file (does it exist?)");
  std::ostringstream text;
  text << in.rdbuf();
  ExperimentSpec spec = parse_experiment(text.str(), file.string(), catalog);
  std::error_code error;
  const std::string folder = std::filesystem::absolute(file, error).parent_path().string();
  for (TrialSpec& trial : spec.trials) trial.folder = folder;
  return spec;
}

namespace {

// Every sweep axis's path and values, against each plugin its section may have.
void check_sweep_axes(const ExperimentSpec& spec, const json& complete, const std::string& file,
                      const PluginCatalog& catalog) {
  for (const auto& axis : spec.sweep.axes) {
    const std::string label = child_json_path("sweep.axes", axis.path);
    std::vector<std::string> labels;
    for (size_t i = 0; i < axis.values.size(); ++i) labels.push_back(indexed_json_path(label, i));
    // A parameter axis applies to every plugin its component's axis chooses.
    const std::string section = axis.path.substr(0, axis.path.find('.'));
    const SweepAxis* plugin_axis = spec.sweep.axis(section + ".plugin");
    json plugins = json::array();
    if (plugin_axis) {
      for (const auto& v : plugin_axis->values) plugins.push_back(v);
    } else if (const json* base = find_json_path(complete, section + ".plugin")) {
      plugins.push_back(*base);
    }
    check_sweep_path(axis.path, axis.values, labels, plugins, complete, file, label, catalog);
  }
}

void check_sweep_includes(const ExperimentSpec& spec, const json& complete, const std::string& file,
                          const PluginCatalog& catalog) {
  for (size_t i = 0; i < spec.sweep.include.size(); ++i) {
    const json& point = spec.sweep.include[i];
    for (const auto& item : point.items()) {
      const std::string label = child_json_path(indexed_json_path("sweep.include", i), item.key());
      const std::string section = item.key().substr(0, item.key().find('.'));
      json plugins = json::array();
      if (point.contains(section + ".plugin")) {
        plugins.push_back(point.at(section + ".plugin"));
      } else if (const json* base = find_json_path(complete, section + ".plugin")) {
        plugins.push_back(*base);
      }
      check_sweep_path(item.key(), {item.value()}, {label}, plugins, complete, file, label,
                       catalog);
    }
  }
}

// data.<split> sources: the plugin defaults to data's, and with data's
// plugin the parameters are data's overridden by the split's own.
void resolve_split_sources(json& document, const std::string& file, const std::string& context,
                           const PluginCatalog& catalog) {
  json& data = document.at("data");
  for (const char* name : kSplitsWithOwnSource) {
    if (!has_own_source(document, name)) continue;
    json& own = data.at(name);
    const std::string path = std::string("data.") + name;
    if (own.at("plugin").get<std::string>().empty()) own["plugin"] = data.at("plugin");
    json params = own.at("params");
    if (own.at("plugin") == data.at("plugin")) {
      params = data.at("params");
      params.update(own.at("params"));
    }
    const std::string plugin = own.at("plugin").get<std::string>();
    checked_plugin(catalog, "dataset", own.at("plugin"), file, path + ".plugin");
    try {
      own["params"] = catalog.resolve_params("dataset", plugin, params);
    } catch (const std::exception& error) {
      fail_spec(file, path + ".params", std::string(error.what()) + context);
    }
  }
}

// The sections' parameters with their plugins' defaults filled in; `context`
// names the trial in errors ("" for the base experiment).
void resolve_section_params(json& document, const std::string& file, const std::string& context,
                            const PluginCatalog& catalog) {
  for (const auto& c : ExperimentSchema::components()) {
    const std::string section = c.section;
    if (!section_in_use(document, section)) continue;
    json& component = document.at(section);
    try {
      component["params"] = catalog.resolve_params(
          c.kind, component.at("plugin").get<std::string>(), component.at("params"));
    } catch (const std::exception& error) {
      refuse_retired_params(catalog, c.kind, component, file, section, context);
      fail_spec(file, section + ".params", std::string(error.what()) + context);
    }
  }
  resolve_split_sources(document, file, context, catalog);
}

// One TrialSpec per sweep point, each validated as a whole document.
void expand_trials(ExperimentSpec& spec, const json& complete, const PluginInfo& task,
                   const PluginCatalog& catalog) {
  // Plugin defaults of the base experiment complete partial include points.
  json base = complete;
  resolve_section_params(base, spec.file, "", catalog);
  const auto base_value = [&](const std::string& path) -> json {
    if (const json* value = find_json_path(complete, path)) return *value;
    const auto parts = split_json_path(path);
    if (parts.size() == 3 && parts[1] == "params" && base.contains(parts[0]) &&
        base.at(parts[0]).contains("params")) {
      if (const json* value = find_json_path(base.at(parts[0]).at("params"), parts[2])) {
        return *value;
      }
    }
    return json();
  };
  const bool swept = !spec.sweep.axes.empty() || !spec.sweep.include.empty();
  for (const auto& point : expand_sweep(spec.sweep, base_value)) {
    json doc = complete;
    for (const auto& item : point.values.items()) set_json_path(doc, item.key(), item.value());
    const std::string context = " (in trial \"" + point.key + "\")";
    ExperimentSchema::get().check_consistency(doc, spec.file, swept ? context : "");
    resolve_section_params(doc, spec.file, context, catalog);
    spec.trials.push_back(make_trial(doc, spec.name, point, task));
  }
}

}  // namespace

ExperimentSpec parse_experiment(const std::string& text, const std::string& file,
                                const PluginCatalog& catalog) {
  const auto& schema = ExperimentSchema::get();
  ExperimentSpec spec;
  spec.file = file;
  spec.document = parse_json(text, file);
  if (!spec.document.is_object()) {
    throw SpecError(file + ": expected a JSON object at the top level, got " +
                    std::string(spec.document.type_name()));
  }
  spec.hash = experiment_hash(spec.document);
  const PluginInfo& task = experiment_task(spec.document, catalog, file);
  json with_task_settings = spec.document;
  move_task_eval_settings(with_task_settings, task, file);
  json complete = schema.complete(with_task_settings, file);
  apply_task_needs(complete, task, file);
  spec.task = task.name;
  spec.metrics = task.metrics;
  spec.name = complete.at("name").get<std::string>();
  spec.description = complete.at("description").get<std::string>();
  spec.reports = complete.at("reports");
  schema.check_consistency(complete, file, "");
  for (const auto& c : ExperimentSchema::components()) {
    const std::string section = c.section;
    if (!section_in_use(complete, section)) continue;
    checked_plugin(catalog, c.kind, complete.at(section).at("plugin"), file, section + ".plugin");
  }
  spec.sweep = SweepDefinition::parse(complete.at("sweep"), file);
  check_sweep_axes(spec, complete, file, catalog);
  check_sweep_includes(spec, complete, file, catalog);
  expand_trials(spec, complete, task, catalog);
  check_reports(spec, file);
  return spec;
}

}  // namespace stegolab
