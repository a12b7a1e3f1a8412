// `stegolab bench data EXPERIMENT.json`: crops/s of a trial's training data
// pipeline, in all and per worker, and with --step the share of the
// training time spent waiting for data.
#include "cli/bench_data_command.hpp"

#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "bench/data_benchmark.hpp"
#include "bench/trial_selection.hpp"
#include "cli/command_line.hpp"
#include "cli/plugin_path_option.hpp"
#include "spec/registry_catalog.hpp"
#include "stegolab/errors.hpp"
#include "trainer/registry_component_factory.hpp"

namespace stegolab::cli {

namespace {

namespace po = boost::program_options;

// Sets the `workers` parameter of the trial's data source and of every
// split's own source; an Error when the data plugin has none.
void override_workers(TrialSpec& trial, int64_t workers) {
  if (!trial.data.params.contains("workers")) {
    throw Error("--workers: dataset '" + trial.data.plugin + "' has no 'workers' parameter");
  }
  trial.data.params["workers"] = workers;
  for (auto& [split, source] : trial.split_sources) {
    if (source.params.contains("workers")) source.params["workers"] = workers;
  }
}

// The data source's `workers` parameter when it names a count, else 0.
int64_t declared_workers(const TrialSpec& trial) {
  const auto found = trial.data.params.find("workers");
  if (found == trial.data.params.end() || !found->is_number_integer()) return 0;
  return found->get<int64_t>();
}

std::string rate_text(int64_t crops, double seconds, int64_t workers) {
  std::ostringstream text;
  const double rate = static_cast<double>(crops) / seconds;
  text << std::fixed << std::setprecision(1) << rate << " crops/s";
  if (workers > 0) text << ", " << rate / static_cast<double>(workers) << " per worker";
  return text.str();
}

void print_data_result(const std::string& experiment, const TrialSpec& trial,
                       const DataBenchmarkResult& r, bool step) {
  const int64_t workers = declared_workers(trial);
  std::cout << std::fixed << std::setprecision(2) << "bench data: " << experiment << " ["
            << trial.key << "]\n"
            << "  source        " << trial.data.plugin << ", " << r.sample_side << "x"
            << r.sample_side << " training samples, crops_per_image " << r.crops_per_image << ", "
            << (workers > 0 ? std::to_string(workers) : std::string("the source's default"))
            << " workers, " << r.training_images << " training images\n"
            << "  batches       " << r.batch << " samples = " << r.crops_per_batch
            << " crops each (every list of the task's samples), " << r.epochs.front().batches
            << " per epoch, device " << r.device << ", " << r.threads << " step threads\n"
            << "  start-up      trial built in " << r.build_seconds
            << " s (the source's listing included); first batch " << r.first_batch_seconds
            << " s later\n";
  int64_t crops = 0, batches = 0;
  double seconds = 0.0, wait = 0.0;
  for (size_t e = 0; e < r.epochs.size(); ++e) {
    const DataBenchmarkEpoch& epoch = r.epochs[e];
    crops += epoch.crops;
    batches += epoch.batches;
    seconds += epoch.seconds;
    wait += epoch.wait_seconds;
    std::cout << "  epoch " << std::left << std::setw(8) << e + 1 << std::right << epoch.crops
              << " crops in " << epoch.seconds
              << " s: " << rate_text(epoch.crops, epoch.seconds, workers);
    if (step) std::cout << "; data wait " << 100.0 * epoch.wait_seconds / epoch.seconds << " %";
    std::cout << "\n";
  }
  std::cout << "  all epochs    " << crops << " crops in " << seconds
            << " s: " << rate_text(crops, seconds, workers) << "\n";
  if (step && batches > 0) {
    const auto per_batch = [batches](double total) {
      return 1e3 * total / static_cast<double>(batches);
    };
    std::cout << "  data wait     " << 100.0 * wait / seconds
              << " % of the training time: " << per_batch(wait) << " ms of " << per_batch(seconds)
              << " ms per batch\n";
  }
  std::cout << std::setprecision(0) << "  peak memory   " << r.peak_memory_mb
            << " MiB peak RSS of the whole process\n";
}

}  // namespace

int bench_data(const Arguments& args) {
  std::vector<std::string> plugin_paths, positional;
  std::string trial_key;
  TrialOverrides overrides;
  DataBenchmarkOptions bench;
  int64_t threads = 0, workers = 0;
  po::options_description options("stegolab bench data EXPERIMENT.json [options]");
  options.add_options()("help,h", "show this help")(
      "trial", po::value(&trial_key),
      "the first trial whose key contains this (default: the first)")(
      "batch", po::value(&bench.batch),
      "samples per batch (default: the trial's train.batch_size)")(
      "batches", po::value(&bench.batches), "batches per epoch (default: the trial's epoch)")(
      "epochs", po::value(&bench.epochs)->default_value(bench.epochs),
      "epochs (a decoded-image cache pays from the second)")(
      "workers", po::value(&workers), "the data source's `workers` parameter")(
      "step", "also run the training step on every batch: the data wait as a share of training")(
      "threads", po::value(&threads),
      "CPU threads of the step (default: STEGOLAB_THREADS, train.threads, all)")(
      "device", po::value(&overrides.device),
      "cpu | cuda | auto (default: the trial's train.device)");
  add_plugin_path_option(options, &plugin_paths);
  po::variables_map vm;
  if (!parse_command_line("bench data", args, options, vm, &positional)) return 0;
  if (positional.size() != 1) throw Error("usage: stegolab bench data EXPERIMENT.json; see --help");
  if (vm.count("threads")) overrides.threads = threads;
  if (vm.count("batch") && bench.batch < 1) throw Error("--batch: must be at least 1");
  if (vm.count("batches") && bench.batches < 1) throw Error("--batches: must be at least 1");
  if (vm.count("workers") && workers < 1) throw Error("--workers: must be at least 1");
  bench.step = vm.count("step") > 0;

  const PluginRegistry registry = load_plugins(plugin_paths, &std::cerr);
  const ExperimentSpec spec = load_experiment(positional[0], registry);
  TrialSpec trial = select_trial(spec, trial_key);
  apply_overrides(trial, overrides, spec.file, RegistryCatalog(registry));
  if (vm.count("workers")) override_workers(trial, workers);
  RegistryComponentFactory factory(registry);
  const DataBenchmarkResult result =
      run_data_benchmark(factory, trial, bench, [](int64_t epoch, int64_t done, int64_t batches) {
        std::cerr << "\r  epoch " << epoch + 1 << ": batch " << done << "/" << batches
                  << (done == batches ? "\n" : "") << std::flush;
      });
  print_data_result(spec.name, trial, result, bench.step);
  return 0;
}

}  // namespace stegolab::cli
