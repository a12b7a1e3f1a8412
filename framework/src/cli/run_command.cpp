// `stegolab run EXPERIMENT.json`: validate, expand and run a sweep.
#include <iostream>
#include <optional>

#include <boost/program_options.hpp>
#include <torch/torch.h>

#include "cli/commands.hpp"
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

int run_command(const Arguments& args) {
  std::vector<std::string> plugin_paths;
  std::string experiment, database, device, only;
  int64_t threads = 0;
  po::options_description options("stegolab run EXPERIMENT.json [options]");
  options.add_options()("help,h", "show this help")(
      "db", po::value(&database), "results database (default results/<name>.db)")(
      "dry-run", "print the expanded trial list and run nothing")(
      "force-new", "register a changed experiment file as a new experiment")(
      "threads", po::value(&threads), "CPU threads (default: STEGOLAB_THREADS, train.threads, all)")(
      "device", po::value(&device), "cpu | cuda (default: the experiment's train.device)")(
      "only", po::value(&only), "run only trials whose key contains this text");
  add_plugin_path_option(options, &plugin_paths);
  po::options_description hidden;
  hidden.add_options()("experiment", po::value(&experiment));
  po::options_description all;
  all.add(options).add(hidden);
  po::positional_options_description position;
  position.add("experiment", 1);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(all).positional(position).run(), vm);
  po::notify(vm);
  if (vm.count("help")) {
    std::cout << options << "\n";
    return 0;
  }
  if (experiment.empty()) throw Error("usage: stegolab run EXPERIMENT.json [--dry-run] [--db D] ...; see --help");
  if (!device.empty() && !is_device_name(device)) {
    throw Error("--device: expected auto, cpu, cuda or cuda:N, got \"" + device + "\"");
  }
  std::optional<int64_t> thread_option;
  if (vm.count("threads")) thread_option = threads;

  const PluginRegistry registry = load_plugins(plugin_paths, &std::cerr);
  const ExperimentSpec spec = load_experiment(experiment, registry);
  if (vm.count("dry-run")) {
    RegistryComponentFactory factory(registry);
    preflight_trials(factory, spec, device, &std::cerr);
    print_trial_plan(spec, only, std::cout);
    return 0;
  }

  RunOptions run_options;
  run_options.database = database.empty() ? std::filesystem::path("results") / (spec.name + ".db")
                                          : std::filesystem::path(database);
  run_options.force_new = vm.count("force-new") > 0;
  run_options.only = only;
  run_options.device = device;
  run_options.threads = thread_option;
  // Fail on a bad thread count before the database is touched.
  resolve_thread_count(thread_option, std::getenv("STEGOLAB_THREADS"), 0);

  InterruptHandlers handlers;
  SweepRunner runner(registry, spec, run_options, &handlers.flag());
  const RunSummary summary = runner.run();

  std::cout << "\n" << spec.name << ": " << summary.selected << " trials: " << summary.done << " done now, "
            << summary.skipped << " done before, " << summary.failed << " failed, " << summary.interrupted
            << " interrupted (database " << run_options.database.string() << ")\n";
  for (const auto& failure : summary.failures) std::cout << "  failed: " << failure << "\n";
  if (summary.stopped) {
    std::cout << "interrupted; resume with: stegolab run " << experiment << " --db "
              << run_options.database.string() << "\n";
    return 130;
  }
  return summary.failed > 0 ? 1 : 0;
}

}  // namespace stegolab::cli
