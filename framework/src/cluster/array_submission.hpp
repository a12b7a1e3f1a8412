// ArraySubmission: what `stegolab submit` sent to Slurm, kept beside the
// shard databases (<results>/<name>.shards/submission.json) so that
// `submit --status` and a second `submit` know the job, and Slurm's view of
// its tasks (squeue).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace stegolab {

struct ArraySubmission {
  std::string job_id;  // the array's job id, as sbatch --parsable printed it
  int64_t shards = 0;
  int64_t trials = 0;
  std::string experiment_name, experiment_file, submitted_at;

  static std::filesystem::path file_in(const std::filesystem::path& shards_folder);
  // nullopt when the folder holds none; Error (one line) for an unreadable file.
  static std::optional<ArraySubmission> load(const std::filesystem::path& shards_folder);
  void save(const std::filesystem::path& shards_folder) const;
};

// The array's tasks Slurm still knows (pending, running, completing ...), by
// task index: "RUNNING 0:42 node3" (state, elapsed time, node or the reason
// it waits). Empty when none is queued any more. Throws Error when squeue
// cannot be run or fails.
std::map<int64_t, std::string> queued_array_tasks(const std::string& job_id);

}  // namespace stegolab
