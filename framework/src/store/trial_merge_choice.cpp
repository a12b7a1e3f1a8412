#include "store/trial_merge_choice.hpp"

namespace stegolab {

namespace {

bool finished(TrialStatus status) {
  return status == TrialStatus::done || status == TrialStatus::failed;
}

}  // namespace

TrialChoice choose_trial_copy(const TrialCopy& existing, const TrialCopy& incoming,
                              bool results_equal, bool prefer_newest) {
  const bool old_finished = finished(existing.status);
  const bool new_finished = finished(incoming.status);
  if (old_finished != new_finished) return new_finished ? TrialChoice::replace : TrialChoice::keep;
  if (!new_finished) {
    return incoming.last_epoch > existing.last_epoch ? TrialChoice::replace : TrialChoice::keep;
  }
  if (results_equal) return TrialChoice::keep;
  if (!prefer_newest) return TrialChoice::conflict;
  // ISO 8601 in UTC with a fixed width compares as text.
  return incoming.ended_at > existing.ended_at ? TrialChoice::replace : TrialChoice::keep;
}

}  // namespace stegolab
