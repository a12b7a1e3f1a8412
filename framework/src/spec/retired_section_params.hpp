// An experiment file's section that still writes a parameter its plugin
// retired: refused at the parameter's own JSON path with the plugin's advice.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "spec/plugin_catalog.hpp"

namespace stegolab {

// component: the section's JSON ({"plugin": NAME, "params": {...}}) at
// `section` ("loss") of `file`; `context` ends the message (the trial).
// Throws SpecError for the first retired parameter; returns otherwise, also
// when the plugin is unknown (the caller's own error says so).
void refuse_retired_params(const PluginCatalog& catalog, const std::string& kind,
                           const nlohmann::json& component, const std::string& file,
                           const std::string& section, const std::string& context);

}  // namespace stegolab
