// The expanded trial list of `stegolab run --dry-run`.
#pragma once

#include <ostream>
#include <string>

#include "spec/experiment_spec.hpp"

namespace stegolab {

// True when `key` is selected by --only (a substring of the key; "" selects all).
bool selected_by_only(const std::string& key, const std::string& only);

// One line per selected trial: index, seed, one column per sweep path, key.
void print_trial_plan(const ExperimentSpec& spec, const std::string& only, std::ostream& out);

}  // namespace stegolab
