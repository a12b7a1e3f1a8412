// The sbatch script of `stegolab submit --slurm`: one array task per shard
// of the sweep, each running `stegolab run --shard i/N` into its own
// database (never two processes on one SQLite file), requeued by itself on
// Slurm's warning signal so that preemption and time limits resume work
// instead of losing it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace stegolab {

struct SlurmArrayRequest {
  std::string experiment_name;
  std::filesystem::path experiment_file;  // absolute
  std::filesystem::path shards_folder;    // absolute: <results>/<name>.shards
  std::filesystem::path working_folder;   // absolute: where relative paths of the file resolve
  std::filesystem::path stegolab;         // absolute path of the command
  std::vector<std::string> plugin_paths;  // --plugin-path values, passed on
  int64_t trials = 0;                     // in the whole sweep
  int64_t shards = 1;                     // N: array tasks 0..N-1
  // Optional sbatch settings ("" / 0: Slurm's defaults).
  std::string partition, time;
  int64_t cpus_per_task = 1, gpus_per_task = 0, array_parallelism = 0;
  // Seconds before the time limit at which Slurm sends USR1 to the task.
  int64_t warning_seconds = 120;
};

// The database of shard `index`: <shards folder>/<index>.db.
std::filesystem::path shard_database(const std::filesystem::path& shards_folder, int64_t index);

// The script's text (bash, #SBATCH lines first).
std::string slurm_array_script(const SlurmArrayRequest& request);

// `text` quoted for bash: '...' with every ' written as '\''.
std::string shell_quoted(const std::string& text);

}  // namespace stegolab
