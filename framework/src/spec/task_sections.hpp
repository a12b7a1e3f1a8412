// The experiment's task, applied to the document: which component sections
// it uses (their default plugins, the ones it requires, the ones it has no
// use for), the task's own evaluation settings written in `eval`, and the
// best metric among the metrics it declares.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "spec/plugin_catalog.hpp"

namespace stegolab {

// The task plugin the raw document names ("steganography" when none).
const PluginInfo& experiment_task(const nlohmann::json& document, const PluginCatalog& catalog,
                                  const std::string& file);

// Moves keys of `eval` that are parameters of the task into task.params, so
// that `eval.quantize_stego` reads as it always did; checks their JSON type
// and names them as written ("eval.quantize_stego: expected true or false").
void move_task_eval_settings(nlohmann::json& document, const PluginInfo& task,
                             const std::string& file);

// On the completed document: fills the task's default plugins, refuses a
// missing required section and a section the task does not use, and fills
// or checks train.best_metric against the task's validation metrics.
void apply_task_needs(nlohmann::json& complete, const PluginInfo& task, const std::string& file);

// Whether the section names a plugin in the completed document.
bool section_in_use(const nlohmann::json& complete, const std::string& section);

}  // namespace stegolab
