// The order of an experiment's trials, from its document alone (no plugins):
// what `results merge` needs to number the trials of several shards as one
// process would have numbered them.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace stegolab {

// The trial keys of `document` (an experiment file as stored) in the
// sweep's stable order (see sweep_expansion.hpp). An include point that a
// plugin's default completes may get another key here than in a run; such
// trials are simply not in the list. Empty when the sweep section cannot be
// read; never throws.
std::vector<std::string> sweep_order(const nlohmann::json& document);

}  // namespace stegolab
