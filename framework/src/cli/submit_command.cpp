// `stegolab submit EXPERIMENT.json --slurm`: the sweep as a Slurm job array
// (one shard per task, one database per shard), and `submit --status`.
// Slurm does the scheduling, requeueing and accounting; this command only
// writes the script, calls sbatch and reads squeue and the shard databases.
#include <ctime>
#include <fstream>
#include <iostream>
#include <map>

#include <boost/program_options.hpp>

#include "cli/command_line.hpp"
#include "cli/commands.hpp"
#include "cli/plugin_path_option.hpp"
#include "cluster/array_submission.hpp"
#include "cluster/program_run.hpp"
#include "cluster/slurm_script.hpp"
#include "spec/registry_catalog.hpp"
#include "store/database_writer_lock.hpp"
#include "store/result_store.hpp"

namespace stegolab::cli {

namespace po = boost::program_options;

namespace {

struct SubmitArguments {
  std::vector<std::string> plugin_paths;
  std::string results = "results";
  bool slurm = false, status = false, dry_run = false;
  int64_t trials_per_task = 1;
  SlurmArrayRequest request;
};

std::string utc_now() {
  char text[32];
  const std::time_t now = std::time(nullptr);
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  return text;
}

// Refuses a second array on the same shard databases while the first is
// still queued: two tasks on one shard would be two writers of one file.
void check_no_queued_array(const std::filesystem::path& shards_folder) {
  const std::optional<ArraySubmission> previous = ArraySubmission::load(shards_folder);
  if (!previous) return;
  const auto tasks = queued_array_tasks(previous->job_id);
  if (tasks.empty()) return;
  throw Error("submit: job " + previous->job_id + " (submitted " + previous->submitted_at +
              ") still has " + std::to_string(tasks.size()) + " task(s) queued or running on " +
              shards_folder.string() + "; wait for it (stegolab submit --status) or scancel it");
}

int submit(const SubmitArguments& arguments, SlurmArrayRequest request) {
  const std::filesystem::path script_file = request.shards_folder / "submit.sbatch";
  const std::string script = slurm_array_script(request);
  if (arguments.dry_run) {
    std::cout << script;
    return 0;
  }
  std::filesystem::create_directories(request.shards_folder);
  check_no_queued_array(request.shards_folder);
  {
    std::ofstream out(script_file);
    out << script;
    if (!out.flush()) throw Error("submit: cannot write '" + script_file.string() + "'");
  }
  const ProgramRun sbatch = ProgramRun::run({"sbatch", "--parsable", script_file.string()});
  if (!sbatch.ok())
    throw Error("submit: sbatch " + script_file.string() + ": " + sbatch.last_output_line());
  ArraySubmission submission;
  // --parsable prints "jobid" or "jobid;cluster".
  submission.job_id = sbatch.first_output_line().substr(0, sbatch.first_output_line().find(';'));
  submission.shards = request.shards;
  submission.trials = request.trials;
  submission.experiment_name = request.experiment_name;
  submission.experiment_file = request.experiment_file.string();
  submission.submitted_at = utc_now();
  submission.save(request.shards_folder);
  const std::string shards = request.shards_folder.string();
  std::cout << "submitted Slurm job " << submission.job_id << ": array 0-" << request.shards - 1
            << ", " << request.trials << " trials in " << request.shards << " shards; databases "
            << shards << "/<i>.db, logs " << shards << "/<i>.log, script " << script_file.string()
            << "\nprogress: stegolab submit --status " << request.experiment_file.string()
            << "\nwhen done: stegolab results merge " << arguments.results << "/"
            << request.experiment_name << ".db " << shards << "/*.db\n";
  return 0;
}

// One line per shard: Slurm's view of its task and its database's trials.
int show_status(const std::filesystem::path& shards_folder) {
  const std::optional<ArraySubmission> submission = ArraySubmission::load(shards_folder);
  if (!submission) {
    throw Error("submit --status: no submission in " + shards_folder.string() +
                " (submit the experiment first)");
  }
  const auto tasks = queued_array_tasks(submission->job_id);
  std::cout << "experiment '" << submission->experiment_name << "', Slurm job "
            << submission->job_id << " (submitted " << submission->submitted_at
            << "): " << submission->shards << " shards, " << submission->trials << " trials\n";
  std::map<std::string, int64_t> totals;
  for (int64_t shard = 0; shard < submission->shards; ++shard) {
    const auto task = tasks.find(shard);
    std::cout << "  shard " << shard << ": " << (task == tasks.end() ? "not queued" : task->second)
              << "; ";
    const std::filesystem::path database = shard_database(shards_folder, shard);
    if (!std::filesystem::exists(database)) {
      std::cout << "no database yet\n";
      continue;
    }
    // A snapshot: the task writing it may run on another machine, over NFS.
    const ResultStore store(database, ResultStore::Mode::snapshot);
    const bool writer = DatabaseWriterLock::held(database);
    std::string counts;
    for (const auto& experiment : store.experiments()) {
      for (const auto& [state, count] : experiment.status_counts) {
        // As `results list`: a trial "running" with no run holding the file was left so by a killed
        // run.
        const TrialStatus shown =
            state == TrialStatus::running && !writer ? TrialStatus::interrupted : state;
        counts += (counts.empty() ? "" : ", ") + std::to_string(count) + " " + status_name(shown);
        totals[status_name(shown)] += count;
      }
    }
    std::cout << (counts.empty() ? "no trials yet" : counts) << "\n";
  }
  std::cout << "trials:";
  for (const auto& [state, count] : totals) std::cout << " " << count << " " << state;
  std::cout << " (of " << submission->trials << ")\n";
  return 0;
}

}  // namespace

int submit_command(const Arguments& args) {
  SubmitArguments arguments;
  SlurmArrayRequest& request = arguments.request;
  po::options_description options("stegolab submit EXPERIMENT.json --slurm [options]");
  options.add_options()("help,h", "show this help")(
      "slurm", "submit the sweep to Slurm as a job array (one shard of trials per task)")(
      "status", "show the submitted array's tasks and the shards' progress")(
      "dry-run", "print the sbatch script and submit nothing")(
      "results", po::value(&arguments.results),
      "folder of the databases (default results): shards go to <results>/<name>.shards/")(
      "trials-per-task", po::value(&arguments.trials_per_task),
      "trials per array task (default 1); the number of shards N follows")(
      "partition", po::value(&request.partition), "sbatch --partition")(
      "time", po::value(&request.time), "sbatch --time, per task (e.g. 04:00:00)")(
      "cpus-per-task", po::value(&request.cpus_per_task), "sbatch --cpus-per-task (default 1)")(
      "gpus-per-task", po::value(&request.gpus_per_task), "sbatch --gpus-per-task")(
      "array-parallelism", po::value(&request.array_parallelism),
      "at most this many tasks at once (the %K of --array)");
  add_plugin_path_option(options, &arguments.plugin_paths);
  po::variables_map vm;
  std::vector<std::string> positional;
  if (!parse_command_line("submit", args, options, vm, &positional)) return 0;
  arguments.slurm = vm.count("slurm") > 0;
  arguments.status = vm.count("status") > 0;
  arguments.dry_run = vm.count("dry-run") > 0;
  if (positional.size() != 1) {
    throw Error("usage: stegolab submit EXPERIMENT.json --slurm [options] | --status; see --help");
  }
  if (!arguments.slurm && !arguments.status) {
    throw Error("submit: say where: --slurm (the only scheduler so far), or --status");
  }
  if (arguments.trials_per_task < 1 || request.cpus_per_task < 1 || request.gpus_per_task < 0 ||
      request.array_parallelism < 0) {
    throw Error(
        "submit: --trials-per-task and --cpus-per-task must be at least 1, "
        "--gpus-per-task and --array-parallelism at least 0");
  }
  const PluginRegistry registry = load_plugins(arguments.plugin_paths, &std::cerr);
  const ExperimentSpec spec = load_experiment(positional[0], registry);
  const std::filesystem::path results = std::filesystem::absolute(arguments.results);
  request.shards_folder = results / (spec.name + ".shards");
  if (arguments.status) return show_status(request.shards_folder);
  request.experiment_name = spec.name;
  request.experiment_file = std::filesystem::absolute(positional[0]);
  request.working_folder = std::filesystem::current_path();
  request.stegolab = std::filesystem::read_symlink("/proc/self/exe");
  request.plugin_paths.clear();
  for (const auto& path : arguments.plugin_paths)
    request.plugin_paths.push_back(std::filesystem::absolute(path).string());
  request.trials = static_cast<int64_t>(spec.trials.size());
  request.shards = (request.trials + arguments.trials_per_task - 1) / arguments.trials_per_task;
  if (request.shards < 1) throw Error("submit: " + spec.file + " defines no trials");
  return submit(arguments, request);
}

}  // namespace stegolab::cli
