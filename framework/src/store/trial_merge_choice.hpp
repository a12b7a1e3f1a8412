// Which copy of a trial a merge keeps when two databases hold it: the pure
// rule, apart from the SQL that gathers its inputs.
#pragma once

#include <cstdint>
#include <string>

#include "store/result_records.hpp"

namespace stegolab {

// What the merge knows of one copy of a trial.
struct TrialCopy {
  TrialStatus status = TrialStatus::pending;
  int64_t last_epoch = -1;
  std::string ended_at;  // ISO 8601 UTC, "" while unfinished
};

enum class TrialChoice {
  keep,     // the copy already in the output stays
  replace,  // the incoming copy replaces it
  conflict  // two finished copies with different results: refused
};

// A finished copy (done or failed) has results; an unfinished one (pending,
// running, interrupted) has at most some epochs. Rules, in order:
//   - finished against unfinished: the finished one;
//   - two unfinished: the one with more epochs (the output's on a tie);
//   - two finished with equal results: the output's (so a merge repeated
//     with the same shards changes nothing);
//   - two finished with different results: conflict, unless prefer_newest,
//     which takes the later ended_at (the output's on a tie).
TrialChoice choose_trial_copy(const TrialCopy& existing, const TrialCopy& incoming,
                              bool results_equal, bool prefer_newest);

}  // namespace stegolab
