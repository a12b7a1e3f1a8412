// What makes two experiment files "the same experiment" for the result store:
// everything except the keys that only describe or present the results, so
// that editing a description or a declared report never forks an experiment
// (and never forces its finished trials to run again).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace stegolab {

// The document without its top-level "description" and "reports".
nlohmann::json experiment_identity(const nlohmann::json& document);

// FNV-1a 64 of the canonical dump of experiment_identity(document) (keys
// sorted, no whitespace) as 16 hex digits: reformatting or reordering the
// file keeps the hash, any change of a value that defines the trials
// changes it. Two documents with different hashes may still be the same
// experiment (1 and 1.0 dump differently but are equal JSON numbers), so
// compare identities before treating a hash mismatch as a change.
std::string experiment_hash(const nlohmann::json& document);

// The JSON paths where the identities of two documents differ, with the
// operation that turns `before` into `after`: "/train/epochs (replace),
// /sweep/axes/x (add)", at most 12 named. "" when the identities are equal.
std::string identity_changes(const nlohmann::json& before, const nlohmann::json& after);

}  // namespace stegolab
