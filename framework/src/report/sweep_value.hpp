// The value of a sweep path ("transform.plugin", "train.batch_size") for one trial.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/result_store.hpp"

namespace stegolab {

// From the trial's sweep_point when the path is a sweep axis, else from its
// resolved config by following the dots; null when neither has it.
nlohmann::json sweep_value(const TrialRecord& trial, const std::string& path);

// The values of `paths` that place the trial in a table's rows: its sweep
// values, except that a trial not trained here (kind external) has none, so
// its name (key) stands in the first path's place and sits in the same
// table as the trained trials.
std::vector<nlohmann::json> table_row_values(const TrialRecord& trial,
                                             const std::vector<std::string>& paths);

// How a value is shown in tables, legends and CSV: strings bare, numbers as
// JSON writes them, null as "-".
std::string sweep_value_text(const nlohmann::json& value);

// The sweep paths any of `trials` has in its sweep point, sorted.
std::vector<std::string> sweep_axes(const std::vector<TrialRecord>& trials);

// The sweep axes whose value differs between `trials` (what tells trial
// groups apart), sorted; `except` left out.
std::vector<std::string> varying_sweep_paths(const std::vector<TrialRecord>& trials,
                                             const std::string& except = "");

}  // namespace stegolab
