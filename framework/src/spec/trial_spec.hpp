// TrialSpec: everything one trial runs with, fully resolved (sweep values
// applied, plugin defaults filled in). The spec module produces it from the
// experiment file; the trainer consumes it; the store records `resolved`.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "stegolab/plugin.hpp"
#include "stegolab/strategy.hpp"

namespace stegolab {

// A component chosen by plugin name, with its (resolved) parameters.
struct ComponentSpec {
  std::string plugin;
  nlohmann::json params = nlohmann::json::object();
};

struct DataSplit {
  // Fractions of the source's images; the rest after val goes to test. A
  // split with a source of its own (TrialSpec::split_sources) has 0 here.
  double train = 0.8;
  double val = 0.1;
  double test = 0.1;
};

struct TrainSettings {
  int64_t epochs = 10;
  int64_t batch_size = 8;  // micro-batch size; 0 in the file means "auto" (see batch_size_auto)
  bool batch_size_auto = false;  // "auto": the largest batch that fits (batch-size finder)
  int64_t steps_per_epoch = 0;   // 0: one full pass over the training split
  OptimizerSettings optimizer;
  ScheduleSettings schedule;
  uint64_t seed = 0;            // the experiment's base seed; trials derive theirs from it
  std::string device = "auto";  // "auto" | "cpu" | "cuda"
  int64_t threads = 0;          // 0: all hardware threads
  bool deterministic = false;
  std::string
      best_metric;  // validation metric that selects the "best" checkpoint (default: the task's)
  int64_t max_nonfinite_steps = 3;  // divergence guard: consecutive skipped steps before a restore
  int64_t max_restores = 3;         // restores before the trial is marked failed
  double restore_lr_factor = 0.5;   // learning rate multiplier after each restore
  double explode_factor =
      20.0;  // a loss above this times the recent median is an explosion; 0: off
};

struct EvalSettings {
  int64_t every = 1;  // validate every N epochs (and always after the last)
  int64_t batch_size = 16;
  int64_t gallery = 4;  // test samples whose pictures the trial leaves (0: none)
};

// The task's component sections by name ("model" -> its plugin and params);
// a section the experiment leaves out has an empty plugin.
using SectionSpecs = std::map<std::string, ComponentSpec>;

struct TrialSpec {
  std::string experiment;  // the experiment's name
  std::string key;         // stable key from the sweep point + repeat
  nlohmann::json sweep_point = nlohmann::json::object();  // {"transform.plugin": "haar_dwt", ...}
  int64_t repeat = 0;
  uint64_t seed = 0;  // this trial's seed (from the base seed and the repeat)
  ComponentSpec task;
  std::vector<MetricDeclaration> task_metrics;  // the task's declarations (its PluginInfo)
  ComponentSpec data;
  DataSplit split;
  // The splits ("train", "val", "test") that take every image of a source of
  // their own (data.<split>), resolved; the others are fractions of `data`.
  std::map<std::string, ComponentSpec> split_sources;
  SectionSpecs sections;  // the task's sections (transform, model, loss, ...)
  ComponentSpec strategy;
  TrainSettings train;
  EvalSettings eval;
  nlohmann::json resolved;  // the whole trial as JSON, exactly what was run
  // The experiment file's folder, for parameters that name files relative to
  // it (BuildContext::folder); "" (the working directory) for a trial read
  // back from a database or parsed from text.
  std::string folder;

  // The component of experiment section `section` ("data", "task", "model",
  // ...), or nullptr when the trial has none there.
  const ComponentSpec* component(const std::string& section) const {
    if (section == "task") return &task;
    if (section == "data") return &data;
    if (section == "strategy") return &strategy;
    const auto found = sections.find(section);
    return found == sections.end() || found->second.plugin.empty() ? nullptr : &found->second;
  }
};

}  // namespace stegolab
