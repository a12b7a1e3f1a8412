// `stegolab bench step` and `stegolab bench matrix`: training steps of one
// trial (or of every trial) on synthetic batches.
#include <cstring>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <torch/cuda.h>
#include <torch/torch.h>
#include <boost/program_options.hpp>

#include "bench/compute_peak.hpp"
#include "bench/step_benchmark.hpp"
#include "bench/trial_selection.hpp"
#include "cli/bench_step_command.hpp"
#include "cli/command_line.hpp"
#include "cli/plugin_path_option.hpp"
#include "device/device_name.hpp"
#include "run/interrupt_handlers.hpp"
#include "run/sweep_runner.hpp"
#include "spec/registry_catalog.hpp"
#include "stegolab/errors.hpp"
#include "trainer/registry_component_factory.hpp"

namespace stegolab::cli {

namespace {

namespace po = boost::program_options;

// The data type of the compute ceilings: the step's own precision is the fair
// comparison, and a GPU's fp16/bf16 tensor cores are many times its fp32 rate.
torch::ScalarType parse_peak_dtype(const std::string& name) {
  if (name == "fp32") return torch::kFloat;
  if (name == "bf16") return torch::kBFloat16;
  if (name == "fp16") return torch::kHalf;
  throw Error("--peak-dtype: expected fp32, bf16 or fp16, got '" + name + "'");
}

// "recompute" / "standard" of the components that declare a memory mode; "-" for none.
std::string memory_modes(const TrialSpec& trial) {
  std::string modes;
  for (const auto& [section, component] : trial.sections) {
    if (component.params.contains("memory") && component.params.at("memory").is_string()) {
      modes += (modes.empty() ? "" : ", ") + component.params.at("memory").get<std::string>();
    }
  }
  return modes.empty() ? "-" : modes;
}

// The one experiment file a command takes as its positional argument.
std::string experiment_argument(const std::string& command,
                                const std::vector<std::string>& positional) {
  if (positional.size() != 1) {
    throw Error("usage: stegolab " + command + " EXPERIMENT.json [options]; see --help");
  }
  return positional[0];
}

void print_step_result(const std::string& experiment, const TrialSpec& trial,
                       const StepBenchmarkOptions& bench, const StepBenchmarkResult& r) {
  std::cout << std::fixed << std::setprecision(3);
  std::cout << "bench step: " << experiment << " [" << trial.key << "]\n"
            << "  config        " << r.image_size << "x" << r.image_size << "x" << r.channels
            << ", batch " << r.batch << " x " << r.accumulation << " micro-batches, " << r.precision
            << ", memory " << memory_modes(trial) << ", device " << r.device << ", " << r.threads
            << " threads\n"
            << "  parameters    " << r.parameters << " trainable\n"
            << "  steps         " << r.step_seconds.size() << " timed after " << bench.warmup
            << " warm-up (synthetic batches on the device, no data loading)\n"
            << std::setprecision(r.images_per_s < 10 ? 3 : 1) << "  images/s      "
            << r.images_per_s << "\n"
            << std::setprecision(2) << "  step time     median " << r.median_seconds * 1e3
            << " ms, p10 " << r.p10_seconds * 1e3 << " ms, p90 " << r.p90_seconds * 1e3 << " ms\n"
            << std::setprecision(0) << "  peak memory   " << r.peak_memory_mb << " MiB"
            << (r.device == "cpu" ? " peak RSS" : " allocated (CUDA caching allocator)") << " ("
            << r.peak_memory_mb - r.baseline_memory_mb << " MiB above "
            << (r.device == "cpu" ? "the RSS" : "what was allocated") << " before the first step)\n"
            << std::setprecision(3) << "  FLOPs/image   " << r.forward_flops_per_image / 1e9
            << " GFLOP inference; training step " << r.training_flops_per_image / 1e9
            << " GFLOP (the task's count)\n"
            << std::setprecision(2) << "  achieved      " << r.gflops_per_s << " GFLOP/s\n";
}

void print_compute_peaks(const StepBenchmarkResult& r, torch::Device device, int64_t matmul,
                         const std::string& peak_dtype_name) {
  const torch::ScalarType peak_dtype = parse_peak_dtype(peak_dtype_name);
  const ComputePeak conv = measure_conv_peak(device, 256, 64, 5, peak_dtype);
  const ComputePeak mm = measure_matmul_peak(device, matmul, 5, peak_dtype);
  std::cout << "  conv peak     " << conv.gflops_per_s << " GFLOP/s (" << peak_dtype_name
            << " 3x3 conv 256->256 on 64x64; the step reaches " << std::setprecision(1)
            << 100.0 * r.gflops_per_s / conv.gflops_per_s << " % of it)\n"
            << std::setprecision(2) << "  matmul peak   " << mm.gflops_per_s << " GFLOP/s ("
            << peak_dtype_name << " " << matmul << "^3 product through BLAS; the step reaches "
            << std::setprecision(1) << 100.0 * r.gflops_per_s / mm.gflops_per_s << " % of it)\n";
}

}  // namespace

int bench_step(const Arguments& args) {
  std::vector<std::string> plugin_paths, positional;
  std::string trial_key;
  TrialOverrides overrides;
  StepBenchmarkOptions bench;
  int64_t threads = 0;
  int64_t matmul = 2048;
  int64_t profile_top = 0;
  std::string peak_dtype_name = "fp32";
  po::options_description options("stegolab bench step EXPERIMENT.json [options]");
  options.add_options()("help,h", "show this help")(
      "trial", po::value(&trial_key),
      "the first trial whose key contains this (default: the first)")(
      "batch", po::value(&bench.batch), "micro-batch size (default: the trial's train.batch_size)")(
      "steps", po::value(&bench.steps)->default_value(bench.steps), "timed optimiser steps")(
      "warmup", po::value(&bench.warmup)->default_value(bench.warmup), "untimed steps first")(
      "threads", po::value(&threads),
      "CPU threads (default: STEGOLAB_THREADS, train.threads, all)")(
      "device", po::value(&overrides.device),
      "cpu | cuda | auto (default: the trial's train.device)")(
      "memory", po::value(&overrides.memory), "the model's memory mode: standard | recompute")(
      "matmul", po::value(&matmul)->default_value(matmul),
      "n of the n x n product of the peak GFLOP/s lines (0: skip the conv and matmul peaks)")(
      "peak-dtype", po::value(&peak_dtype_name)->default_value(peak_dtype_name),
      "data type of the conv and matmul peaks: fp32 | bf16 | fp16")(
      "profile", po::value(&profile_top),
      "N: one more step under LibTorch's profiler; print its N operators of most self time");
  add_plugin_path_option(options, &plugin_paths);
  po::variables_map vm;
  if (!parse_command_line("bench step", args, options, vm, &positional)) return 0;
  parse_peak_dtype(peak_dtype_name);  // a bad name fails before the benchmark runs
  const std::string file = experiment_argument("bench step", positional);
  if (vm.count("threads")) overrides.threads = threads;
  if (vm.count("batch") && bench.batch < 1) throw Error("--batch: must be at least 1");
  if (matmul < 0) throw Error("--matmul: must not be negative");
  if (profile_top < 0) throw Error("--profile: must not be negative");
  bench.profile = profile_top > 0;

  const PluginRegistry registry = load_plugins(plugin_paths, &std::cerr);
  const ExperimentSpec spec = load_experiment(file, registry);
  TrialSpec trial = select_trial(spec, trial_key);
  apply_overrides(trial, overrides, spec.file, RegistryCatalog(registry));
  RegistryComponentFactory factory(registry);
  const StepBenchmarkResult r = run_step_benchmark(factory, trial, bench);

  print_step_result(spec.name, trial, bench, r);
  if (matmul > 0)
    print_compute_peaks(r, torch::Device(trial.train.device), matmul, peak_dtype_name);
  if (bench.profile) {
    std::cout << "  profile       one more step, operators by self time (CPU time; on CUDA the "
                 "launches):\n";
    print_operator_table(std::cout, r.operators, static_cast<size_t>(profile_top));
  }
  return 0;
}

namespace {

// A separate experiment, so that its short trials never mix with (or count
// as) the real, fully trained ones; its document says what changed.
void make_benchmark_experiment(ExperimentSpec& spec, int64_t steps) {
  spec.name += "-bench";
  spec.document["name"] = spec.name;
  spec.document["train"]["epochs"] = 1;
  spec.document["train"]["steps_per_epoch"] = steps;
  spec.hash = experiment_hash(spec.document);
  for (auto& trial : spec.trials) {
    trial.experiment = spec.name;
    trial.train.epochs = 1;
    trial.train.steps_per_epoch = steps;
    trial.resolved["train"]["epochs"] = 1;
    trial.resolved["train"]["steps_per_epoch"] = steps;
  }
}

}  // namespace

int bench_matrix(const Arguments& args) {
  std::vector<std::string> plugin_paths, positional;
  std::string database, device, only;
  int64_t steps = 20;
  int64_t threads = 0;
  po::options_description options("stegolab bench matrix EXPERIMENT.json [options]");
  options.add_options()("help,h", "show this help")("steps",
                                                    po::value(&steps)->default_value(steps),
                                                    "training steps of every trial (one epoch)")(
      "db", po::value(&database), "results database (default results/<name>.db)")(
      "only", po::value(&only), "run only trials whose key contains this text")(
      "device", po::value(&device),
      "auto | cpu | cuda | cuda:N (default: the experiment's train.device)")(
      "threads", po::value(&threads),
      "CPU threads (default: STEGOLAB_THREADS, train.threads, all)")(
      "force-new", "register a changed benchmark as a new experiment");
  add_plugin_path_option(options, &plugin_paths);
  po::variables_map vm;
  if (!parse_command_line("bench matrix", args, options, vm, &positional)) return 0;
  const std::string file = experiment_argument("bench matrix", positional);
  if (steps < 1) throw Error("--steps: must be at least 1");
  if (!device.empty() && !is_device_name(device)) {
    throw Error("--device: expected auto, cpu, cuda or cuda:N, got \"" + device + "\"");
  }

  const PluginRegistry registry = load_plugins(plugin_paths, &std::cerr);
  ExperimentSpec spec = load_experiment(file, registry);
  const std::string base_name = spec.name;
  make_benchmark_experiment(spec, steps);

  RunOptions run_options;
  run_options.database = database.empty() ? std::filesystem::path("results") / (base_name + ".db")
                                          : std::filesystem::path(database);
  run_options.force_new = vm.count("force-new") > 0;
  run_options.only = only;
  run_options.device = device;
  if (vm.count("threads")) run_options.threads = threads;
  InterruptHandlers handlers;
  SweepRunner runner(registry, spec, run_options, &handlers.flag());
  const RunSummary summary = runner.run();
  std::cout << "\n"
            << spec.name << ": " << summary.done << " trials benchmarked (" << steps
            << " steps each), " << summary.skipped << " done before, " << summary.failed
            << " failed; throughput rows in " << run_options.database.string()
            << " (stegolab report --db " << run_options.database.string() << " --experiment "
            << spec.name << " ...)\n";
  for (const auto& failure : summary.failures) std::cout << "  failed: " << failure << "\n";
  if (summary.stopped) return 130;
  return summary.failed > 0 ? 1 : 0;
}

}  // namespace stegolab::cli
