// How a checkpoint directory (a trial's last/ or best/, or any folder a
// command names) is replaced and, after a crash, recovered.
//
// A new checkpoint is written complete into a hidden sibling
// ".<name>.tmp-<n>", synced, and then takes the place of <name> in one
// renameat2(RENAME_EXCHANGE); the old one, now at the sibling's name, is
// removed. So at every instant <name> is the old or the new checkpoint,
// whole. On a filesystem without the exchange (NFS, some cluster
// filesystems) the old one is first renamed to ".<name>.old-<n>": a crash
// between the two renames leaves no <name> but two complete siblings, from
// which settle_checkpoint() recovers the right one at the next start.
// Folders written by older versions (a plain <name>/ directory, their
// ".<name>.tmp-*" and ".<name>.old-*" leftovers) follow the same rules.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace stegolab {

// A fresh, not yet existing sibling of `target` to write a checkpoint into.
std::filesystem::path checkpoint_staging(const std::filesystem::path& target);

// Puts the complete, synced checkpoint `staging` (from checkpoint_staging)
// at `target`, replacing what was there. Throws std::filesystem::filesystem_error.
void replace_checkpoint(const std::filesystem::path& staging, const std::filesystem::path& target);

struct SettledCheckpoint {
  bool usable = false;         // `target` now holds a checkpoint to resume from
  int64_t epoch = -1;          // its epoch (0-based), when usable
  std::string recovered_from;  // the leftover it came from; empty when `target` had it
  std::string why_not;         // when not usable but one existed: "its checkpoint is ..."
};

// Run at the start of a resumed trial: puts at `target` the newest complete
// checkpoint among `target` and its leftovers whose epoch is at most
// `max_epoch` (the last epoch with recorded results; `target` wins a tie),
// and removes every leftover. `target` itself stays when none qualifies.
SettledCheckpoint settle_checkpoint(const std::filesystem::path& target, int64_t max_epoch);

}  // namespace stegolab
