// How rank 0 of a data-parallel run tells the other ranks which trial to
// train next (and from which checkpoint), or that the run has ended: numbered
// messages through the rendezvous store. Rank 0 alone reads the database.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "distributed/data_parallel_group.hpp"
#include "trainer/trainer.hpp"

namespace stegolab {

struct TrialAnnouncement {
  bool end = false;  // the run is over: no more trials
  std::string key;   // the trial's key in the experiment's sweep
  std::optional<std::filesystem::path> resume_from;
};

// Rank 0, before each Trainer::run of `key`.
void announce_trial(DataParallelGroup& group, const std::string& key, const TrialRun& run);
// Rank 0, when its run ends (normally or not).
void announce_end(DataParallelGroup& group);
// The other ranks: the next message (blocks up to the group's timeout).
TrialAnnouncement next_announcement(DataParallelGroup& group);

}  // namespace stegolab
