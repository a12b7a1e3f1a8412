// The expanded trial list of `stegolab run --dry-run`.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "spec/experiment_spec.hpp"
#include "sweep/shard_selection.hpp"

namespace stegolab {

// True when `key` is selected by --only (a substring of the key; "" selects all).
bool selected_by_only(const std::string& key, const std::string& only);

// The trials a run selects, in sweep order: those of its shard (every trial
// without --shard), of them those whose key contains `only`. The shard is
// taken first, so --only never moves a trial to another shard.
std::vector<const TrialSpec*> select_trials(const ExperimentSpec& spec, const std::string& only,
                                            const std::optional<ShardSelection>& shard);

// One line per selected trial: index, seed, one column per sweep path, key.
void print_trial_plan(const ExperimentSpec& spec, const std::string& only, std::ostream& out,
                      const std::optional<ShardSelection>& shard = std::nullopt);

}  // namespace stegolab
