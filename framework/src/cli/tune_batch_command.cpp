// `stegolab tune-batch EXPERIMENT.json`: the largest training batch of one
// trial that fits the memory budget (what train.batch_size "auto" uses).
#include <cmath>
#include <iomanip>
#include <iostream>

#include <boost/program_options.hpp>

#include "batch_finder/batch_size_finder.hpp"
#include "bench/trial_selection.hpp"
#include "cli/command_line.hpp"
#include "cli/commands.hpp"
#include "cli/plugin_path_option.hpp"
#include "spec/registry_catalog.hpp"
#include "stegolab/errors.hpp"
#include "trainer/registry_component_factory.hpp"

namespace stegolab::cli {

namespace po = boost::program_options;

int tune_batch_command(const Arguments& args) {
  std::vector<std::string> plugin_paths, positional;
  std::string trial_key;
  TrialOverrides overrides;
  BatchFinderOptions finder;
  double budget_gib = 0.0;
  int64_t threads = 0;
  po::options_description options("stegolab tune-batch EXPERIMENT.json [options]");
  options.add_options()("help,h", "show this help")(
      "memory-budget", po::value(&budget_gib),
      "GiB the trial may use on the CPU (default: half of MemAvailable); on CUDA the device's "
      "memory")("margin", po::value(&finder.margin)->default_value(finder.margin),
                "safety margin: measured need x (1 + margin) must fit")(
      "max-batch", po::value(&finder.max_batch),
      "largest batch to try (default: the training split)")(
      "trial", po::value(&trial_key),
      "the first trial whose key contains this (default: the first)")(
      "memory", po::value(&overrides.memory), "the model's memory mode: standard | recompute")(
      "device", po::value(&overrides.device),
      "cpu | cuda | auto (default: the trial's train.device)")(
      "threads", po::value(&threads),
      "CPU threads (default: STEGOLAB_THREADS, train.threads, all)");
  add_plugin_path_option(options, &plugin_paths);
  po::variables_map vm;
  if (!parse_command_line("tune-batch", args, options, vm, &positional)) return 0;
  if (positional.size() != 1)
    throw Error("usage: stegolab tune-batch EXPERIMENT.json [options]; see --help");
  if (vm.count("memory-budget")) {
    if (!(budget_gib > 0)) throw Error("--memory-budget: must be a positive number of GiB");
    finder.budget_bytes = budget_gib * 1024.0 * 1024.0 * 1024.0;
  }
  if (vm.count("threads")) overrides.threads = threads;

  const PluginRegistry registry = load_plugins(plugin_paths, &std::cerr);
  const ExperimentSpec spec = load_experiment(positional[0], registry);
  TrialSpec trial = select_trial(spec, trial_key);
  apply_overrides(trial, overrides, spec.file, RegistryCatalog(registry));
  RegistryComponentFactory factory(registry);
  finder.log = &std::cout;
  std::cout << "tune-batch: " << spec.name << " [" << trial.key << "] on " << trial.train.device;
  if (trial.train.device == "cpu") {
    const double budget =
        finder.budget_bytes > 0 ? finder.budget_bytes : default_memory_budget_bytes();
    std::cout << std::fixed << std::setprecision(2) << ", budget "
              << budget / (1024.0 * 1024.0 * 1024.0)
              << " GiB of peak RSS growth (one training step + one evaluation pass)";
  }
  std::cout << ", margin " << std::setprecision(0) << finder.margin * 100 << " %\n";
  const BatchFinderResult result = find_largest_batch(factory, trial, finder);
  std::cout << "largest batch that fits: " << result.batch
            << (result.batch == result.limit
                    ? " (the largest allowed: --max-batch / the training split)"
                    : "")
            << "\n";
  return 0;
}

}  // namespace stegolab::cli
