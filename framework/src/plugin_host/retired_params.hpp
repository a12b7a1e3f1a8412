// Parameters a plugin no longer has (PluginInfo::retired_params): the one
// wording the registry and the experiment checks refuse them with.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "stegolab/plugin.hpp"

namespace stegolab {

// The first key of `params` (a JSON object, or anything else: none) that
// `info` retired, or nullptr.
const RetiredParam* first_retired_param(const PluginInfo& info, const nlohmann::json& params);

// "<kind> '<plugin>' no longer takes '<name>': <instead>"
std::string retired_param_message(const PluginInfo& info, const RetiredParam& retired);

}  // namespace stegolab
