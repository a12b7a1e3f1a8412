// Picking one trial of a results database from what a user typed: an id, or
// (a part of) a key of the chosen experiment's trials.
#pragma once

#include <string>

#include "store/result_store.hpp"

namespace stegolab::cli {

// `experiment_option` (name or id, "" for the only one) is read only when
// `trial` is not an id. Throws Error, starting with `command`, listing the
// keys when none or several match.
TrialRecord choose_trial(const ResultStore& store, const std::string& experiment_option,
                         const std::string& trial, const std::string& command);

}  // namespace stegolab::cli
