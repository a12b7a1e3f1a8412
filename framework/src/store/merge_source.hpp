// One database merged into the output of `stegolab results merge`: its
// experiments matched by identity, each of its trials added, kept or
// replaced (trial_merge_choice), with every row of a trial and the paths
// relative to its folder carried over. Works on a connection to the output
// with the source attached as schema "source"; the caller owns the
// transaction.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include "store/merge_tables.hpp"

struct sqlite3;

namespace stegolab {

struct MergeCounts {
  int64_t added = 0, replaced = 0, kept = 0;
};

// The file each experiment and trial of the output came from (by id), for
// the messages that refuse a merge; the sources add to it.
struct MergeOrigins {
  std::map<int64_t, std::string> experiments, trials;
};

class MergeSource {
 public:
  // `origins` is updated with what this source adds.
  MergeSource(sqlite3* db, const std::filesystem::path& output, const std::filesystem::path& source,
              MergeOrigins& origins);

  // Throws Error (one line naming the source, the experiment or the trial)
  // for another definition of an experiment of the same name, and for a
  // trial whose finished results differ, unless prefer_newest.
  MergeCounts merge(bool prefer_newest);

 private:
  // The output's experiment id for each of the source's.
  std::map<int64_t, int64_t> match_experiments();
  void merge_trial(int64_t source_id, int64_t experiment_id, bool prefer_newest,
                   MergeCounts& counts);
  bool results_equal(int64_t output_id, int64_t source_id) const;
  void copy_trial(int64_t source_id, int64_t experiment_id, int64_t last_epoch);
  void rewrite_paths(const MergeTable& table, int64_t trial_id);
  void copy_shared_tables();

  sqlite3* db_;
  std::filesystem::path output_, source_;
  MergeOrigins& origins_;
  MergeTables tables_;
};

}  // namespace stegolab
