#include "cli/trial_choice.hpp"

#include <vector>

#include "store/database_locator.hpp"

namespace stegolab::cli {

TrialRecord choose_trial(const ResultStore& store, const std::string& experiment_option,
                         const std::string& trial, const std::string& command) {
  if (!trial.empty() && trial.find_first_not_of("0123456789") == std::string::npos) {
    return store.trial(std::stoll(trial));
  }
  const ExperimentRecord experiment = choose_experiment(store, experiment_option, command);
  std::vector<TrialRecord> matches;
  std::string keys;
  for (const TrialRecord& record : store.trials(experiment.id)) {
    keys += "\n  " + std::to_string(record.id) + "  " + record.key;
    if (record.key == trial) return record;
    if (record.key.find(trial) != std::string::npos) matches.push_back(record);
  }
  if (matches.size() == 1) return matches.front();
  throw Error(command + ": --trial '" + trial + "' matches " +
              (matches.empty() ? std::string("no") : std::to_string(matches.size())) +
              " trials of experiment '" + experiment.name +
              "'; give an id or a longer key:" + keys);
}

}  // namespace stegolab::cli
