#include "cluster/slurm_script.hpp"

#include <sstream>

namespace stegolab {

std::filesystem::path shard_database(const std::filesystem::path& shards_folder, int64_t index) {
  return shards_folder / (std::to_string(index) + ".db");
}

std::string shell_quoted(const std::string& text) {
  std::string quoted = "'";
  for (const char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

namespace {

void write_directives(const SlurmArrayRequest& request, std::ostream& out) {
  out << "#SBATCH --job-name=" << shell_quoted("stegolab-" + request.experiment_name) << "\n"
      << "#SBATCH --array=0-" << request.shards - 1
      << (request.array_parallelism > 0 ? "%" + std::to_string(request.array_parallelism) : "")
      << "\n"
      // One log per shard; append, so a requeued task's log follows the first attempt's.
      << "#SBATCH --output=" << (request.shards_folder / "%a.log").string() << "\n"
      << "#SBATCH --open-mode=append\n"
      << "#SBATCH --chdir=" << request.working_folder.string() << "\n"
      << "#SBATCH --ntasks=1\n"
      << "#SBATCH --cpus-per-task=" << request.cpus_per_task
      << "\n"
      // Requeue-able, and warned (B: the batch shell, which exec makes
      // stegolab itself) ahead of the time limit, time to finish a step and
      // write the checkpoint.
      << "#SBATCH --requeue\n"
      << "#SBATCH --signal=B:USR1@" << request.warning_seconds << "\n";
  if (!request.partition.empty()) out << "#SBATCH --partition=" << request.partition << "\n";
  if (!request.time.empty()) out << "#SBATCH --time=" << request.time << "\n";
  if (request.gpus_per_task > 0) out << "#SBATCH --gpus-per-task=" << request.gpus_per_task << "\n";
}

}  // namespace

std::string slurm_array_script(const SlurmArrayRequest& request) {
  std::ostringstream out;
  out << "#!/bin/bash\n";
  write_directives(request, out);
  out << "# Written by stegolab submit: experiment '" << request.experiment_name << "' ("
      << request.experiment_file.string() << "), " << request.trials << " trials in "
      << request.shards << " shards. Array task i runs shard i/" << request.shards
      << " into its own database; `stegolab results merge` joins them.\n"
      << "set -eu\n"
      // Ignored until stegolab installs its handler (an ignored signal stays
      // so across exec): a warning that arrives while the task starts must
      // not kill it, which Slurm would count as a failed task.
      << "trap '' USR1\n"
      << "shard=\"${SLURM_ARRAY_TASK_ID:?this script runs as a Slurm array task}\"\n"
      << "echo \"stegolab shard ${shard}/" << request.shards
      << " on $(hostname), attempt $(( ${SLURM_RESTART_COUNT:-0} + 1 )), $(date -u "
         "+%Y-%m-%dT%H:%M:%SZ)\"\n"
      // exec: the batch shell becomes stegolab, so Slurm's signals reach it directly.
      << "exec " << shell_quoted(request.stegolab.string()) << " run "
      << shell_quoted(request.experiment_file.string()) << " --shard \"${shard}/" << request.shards
      << "\" --db " << shell_quoted(request.shards_folder.string())
      << "/\"${shard}.db\" --requeue-on-signal --threads \"${SLURM_CPUS_PER_TASK:-1}\"";
  for (const auto& path : request.plugin_paths) out << " --plugin-path " << shell_quoted(path);
  out << "\n";
  return out.str();
}

}  // namespace stegolab
