// ExperimentSpec: an experiment file, parsed, validated and expanded into
// its trials. The format is documented in docs/experiments.md.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "spec/experiment_identity.hpp"
#include "spec/plugin_catalog.hpp"
#include "spec/spec_error.hpp"
#include "spec/trial_spec.hpp"
#include "sweep/sweep_definition.hpp"

namespace stegolab {

struct ExperimentSpec {
  std::string name;
  std::string description;
  std::string file;                        // as the user named it; used in every message
  nlohmann::json document;                 // the original JSON, exactly as written (no defaults)
  std::string hash;                        // experiment_hash(document)
  std::string task;                        // the task plugin's name
  std::vector<MetricDeclaration> metrics;  // the task's metric declarations
  SweepDefinition sweep;
  std::vector<TrialSpec> trials;                     // in sweep order (see expand_sweep)
  nlohmann::json reports = nlohmann::json::array();  // passed through to the report module
};

// Reads, validates and expands an experiment before anything runs. Throws
// SpecError "<file>: <json path>: <what was expected>" for: unreadable file,
// JSON syntax (with line and column), unknown keys (with a suggestion), wrong
// types and values, unknown plugins (listing the known ones), plugin
// parameters that the plugin rejects in any trial, and sweep paths that are
// no setting of the experiment or no documented parameter of the plugin.
ExperimentSpec load_experiment(const std::filesystem::path& file, const PluginCatalog& catalog);
// The same on text in memory; `file` only names it in messages.
ExperimentSpec parse_experiment(const std::string& text, const std::string& file,
                                const PluginCatalog& catalog);

}  // namespace stegolab
