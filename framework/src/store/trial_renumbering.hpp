// Trial ids in sweep order after a merge: a single process numbers its
// trials in the order of its sweep (the plan is recorded before the first
// trial starts), so `results show`, exports and the order in which a report
// averages a cell's values follow the sweep. Shards arrive in any order;
// renumbering makes the merged file read like a single run's.
#pragma once

#include <filesystem>

struct sqlite3;

namespace stegolab {

// Numbers the trials 1..n: experiments by id, within one the sweep's order
// of keys (sweep_order() of its stored document; trials it does not list
// after those, in their present order). Every table with a trial_id column
// follows. Runs its own transaction with foreign keys switched off for it,
// and checks them afterwards. Returns whether anything moved.
bool number_trials_in_sweep_order(sqlite3* db, const std::filesystem::path& file);

}  // namespace stegolab
