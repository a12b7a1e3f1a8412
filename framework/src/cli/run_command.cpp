// `stegolab run EXPERIMENT.json`: validate, expand and run a sweep.
#include <csignal>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <boost/program_options.hpp>
#include <torch/torch.h>

#include "cli/commands.hpp"
#include "cli/data_parallel_run.hpp"
#include "distributed/local_rank_launcher.hpp"
#include "run/rank_follower.hpp"
#include "cluster/slurm_requeue.hpp"
#include "cli/plugin_path_option.hpp"
#include "device/device_name.hpp"
#include "run/interrupt_handlers.hpp"
#include "run/sweep_runner.hpp"
#include "run/thread_count.hpp"
#include "run/trial_plan.hpp"
#include "run/trial_preflight.hpp"
#include "spec/registry_catalog.hpp"
#include "trainer/registry_component_factory.hpp"

namespace stegolab::cli {

namespace po = boost::program_options;

namespace {

struct RunArguments {
  std::vector<std::string> plugin_paths;
  std::string experiment, database, device, only;
  std::optional<int64_t> threads;
  std::optional<ShardSelection> shard;
  bool dry_run = false, force_new = false, requeue_on_signal = false;
  DataParallelArguments parallel;
};

// nullopt when --help was given (and printed).
std::optional<RunArguments> parse_run_arguments(const Arguments& args) {
  RunArguments parsed;
  int64_t threads = 0;
  std::string shard, ranks;
  po::options_description options("stegolab run EXPERIMENT.json [options]");
  options.add_options()("help,h", "show this help")(
      "db", po::value(&parsed.database), "results database (default results/<name>.db)")(
      "dry-run", "check every trial, print the expanded trial list and run nothing")(
      "force-new", "register a changed experiment file as a new experiment")(
      "threads", po::value(&threads), "CPU threads (default: STEGOLAB_THREADS, train.threads, all)")(
      "device", po::value(&parsed.device),
      "auto | cpu | cuda | cuda:N (default: the experiment's train.device)")(
      "only", po::value(&parsed.only), "run only trials whose key contains this text")(
      "shard", po::value(&shard),
      "i/N: run only the trials whose position in the sweep is i modulo N (one database "
      "per shard; join them with 'stegolab results merge')")(
      "requeue-on-signal",
      "in a Slurm job: after SIGUSR1 or SIGTERM has stopped the run (checkpoints written), "
      "requeue the job with scontrol so that it resumes")(
      "nproc", po::value(&parsed.parallel.nproc),
      "N: train each trial data-parallel in N processes on this machine (see docs/cluster.md)")(
      "ranks", po::value(&ranks),
      "env | slurm: this process is one rank of a data-parallel run, from torchrun-style "
      "variables (RANK, WORLD_SIZE, MASTER_ADDR, ...) or Slurm's (SLURM_PROCID, ...)")(
      "dist-timeout", po::value(&parsed.parallel.timeout_seconds),
      "seconds a data-parallel rank waits for the others before failing (default 600)");
  add_plugin_path_option(options, &parsed.plugin_paths);
  po::options_description hidden;
  hidden.add_options()("experiment", po::value(&parsed.experiment));
  po::options_description all;
  all.add(options).add(hidden);
  po::positional_options_description position;
  position.add("experiment", 1);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(all).positional(position).run(), vm);
  po::notify(vm);
  if (vm.count("help")) {
    std::cout << options << "\n";
    return std::nullopt;
  }
  if (parsed.experiment.empty())
    throw Error("usage: stegolab run EXPERIMENT.json [--dry-run] [--db D] ...; see --help");
  if (!parsed.device.empty() && !is_device_name(parsed.device)) {
    throw Error("--device: expected auto, cpu, cuda or cuda:N, got \"" + parsed.device + "\"");
  }
  if (vm.count("threads")) parsed.threads = threads;
  if (vm.count("shard")) parsed.shard = ShardSelection::parse(shard);
  parsed.requeue_on_signal = vm.count("requeue-on-signal") > 0;
  if (vm.count("ranks")) parsed.parallel.ranks = parse_rank_source(ranks);
  if (vm.count("nproc") && parsed.parallel.nproc < 1) throw Error("--nproc: expected at least 1");
  if (parsed.parallel.nproc > 1 && parsed.parallel.ranks) {
    throw Error("--nproc starts the ranks itself; it does not go with --ranks");
  }
  if (!(parsed.parallel.timeout_seconds > 0.0)) throw Error("--dist-timeout: expected seconds > 0");
  parsed.dry_run = vm.count("dry-run") > 0;
  parsed.force_new = vm.count("force-new") > 0;
  return parsed;
}

// After a stop by the scheduler's signal: the run has recorded and
// checkpointed everything, so the job may go back to the queue. SIGINT is a
// person at a terminal, who wants the run to stop, not to come back.
void requeue_if_asked(const RunArguments& arguments, int signal_number) {
  if (!arguments.requeue_on_signal || signal_number == SIGINT || signal_number == 0) return;
  const std::optional<std::string> job = slurm_job_from_environment();
  if (!job) {
    std::cout << "--requeue-on-signal: not in a Slurm job (SLURM_JOB_ID is not set); nothing "
                 "requeued\n";
    return;
  }
  // Said before asking: Slurm ends this process as soon as the job is requeued.
  std::cout << "requeueing Slurm job " << *job << " (signal " << signal_number << ")\n"
            << std::flush;
  std::cout << requeue_slurm_job(*job) << "\n" << std::flush;
}

int say_run_summary(const RunArguments& arguments, const ExperimentSpec& spec,
                    const RunOptions& run_options, const RunSummary& summary) {
  std::cout << "\n"
            << spec.name << ": " << summary.selected << " trials: " << summary.done
            << " done now, " << summary.skipped << " done before, " << summary.failed
            << " failed, " << summary.interrupted << " interrupted (database "
            << run_options.database.string() << ")\n";
  for (const auto& failure : summary.failures) std::cout << "  failed: " << failure << "\n";
  if (summary.stopped) {
    std::cout << "interrupted; resume with: stegolab run " << arguments.experiment << " --db "
              << run_options.database.string()
              << (arguments.shard ? " --shard " + arguments.shard->text() : "") << "\n";
    return 130;
  }
  return summary.failed > 0 ? 1 : 0;
}

}  // namespace

int run_command(const Arguments& args) {
  const std::optional<RunArguments> arguments = parse_run_arguments(args);
  if (!arguments) return 0;
  const PluginRegistry registry = load_plugins(arguments->plugin_paths, &std::cerr);
  const ExperimentSpec spec = load_experiment(arguments->experiment, registry);
  if (arguments->dry_run) {
    RegistryComponentFactory factory(registry);
    preflight_trials(factory, spec, arguments->device, &std::cerr);
    print_trial_plan(spec, arguments->only, std::cout, arguments->shard);
    return 0;
  }
  RunOptions run_options;
  run_options.database = arguments->database.empty()
                             ? std::filesystem::path("results") / (spec.name + ".db")
                             : std::filesystem::path(arguments->database);
  run_options.force_new = arguments->force_new;
  run_options.only = arguments->only;
  run_options.shard = arguments->shard;
  run_options.device = arguments->device;
  run_options.threads = arguments->threads;
  // Fail on a bad thread count before the database is touched.
  resolve_thread_count(arguments->threads, std::getenv("STEGOLAB_THREADS"), 0);

  if (arguments->parallel.nproc > 1) {
    check_shareable_batches(spec, arguments->parallel.nproc);
    return run_local_ranks(arguments->parallel.nproc, rank_command_line(args), std::cerr);
  }
  const std::unique_ptr<DataParallelGroup> group =
      join_ranks(arguments->parallel, spec, run_options);
  run_options.data_parallel = group.get();
  InterruptHandlers handlers;
  if (group && !group->leads()) {
    follow_leader(registry, spec, run_options, &handlers.flag());
    return handlers.interrupted() ? 130 : 0;
  }
  SweepRunner runner(registry, spec, run_options, &handlers.flag());
  const RunSummary summary = group ? lead_ranks(runner, *group) : runner.run();
  const int status = say_run_summary(*arguments, spec, run_options, summary);
  if (summary.stopped) requeue_if_asked(*arguments, handlers.signal_number());
  return status;
}

}  // namespace stegolab::cli
