// merge_databases(): `stegolab results merge OUT SHARD...`. Shards of one
// sweep (one database per process: never two processes on one SQLite file,
// which loses results, and WAL does not work on NFS) become one database
// that reads like a single run's.
//
// Atomic: the merge is built in a temporary file beside OUT (a copy of OUT
// when it exists) and renamed over it at the end, so OUT is either complete
// or unchanged. Idempotent: a trial already in OUT with equal results is
// kept, and a merge that changes nothing leaves OUT untouched. OUT's writer
// lock is held throughout, so no `stegolab run` writes it meanwhile.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace stegolab {

struct MergeOptions {
  bool prefer_newest = false;  // --prefer newest: the later-ended copy of a conflicting trial
};

struct MergeSummary {
  int64_t sources = 0;
  int64_t added = 0, replaced = 0, kept = 0;  // trials, over all sources
  bool written = false;                       // false: OUT already held everything (left untouched)
  std::vector<std::string> warnings;          // e.g. a source still being written
};

// Throws Error (one line) naming the file, experiment or trial that stops
// the merge; OUT is then unchanged.
MergeSummary merge_databases(const std::filesystem::path& output,
                             const std::vector<std::filesystem::path>& sources,
                             const MergeOptions& options);

}  // namespace stegolab
