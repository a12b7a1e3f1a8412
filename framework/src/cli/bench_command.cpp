// `stegolab bench <what>`: benchmarks. Each subcommand is one entry in
// kBenchmarks.
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
#include "bench/transform_benchmark.hpp"
#include "bench/trial_selection.hpp"
#include "cli/bench_data_command.hpp"
#include "cli/command_line.hpp"
#include "cli/commands.hpp"
#include "cli/plugin_path_option.hpp"
#include "cli/plugin_commands.hpp"
#include "device/device_name.hpp"
#include "run/interrupt_handlers.hpp"
#include "run/sweep_runner.hpp"
#include "spec/registry_catalog.hpp"
#include "stegolab/errors.hpp"
#include "stegolab/transform.hpp"
#include "trainer/registry_component_factory.hpp"

namespace stegolab::cli {

namespace {

namespace po = boost::program_options;

// "224,1024" -> {224, 1024}; every entry a positive integer.
std::vector<int64_t> parse_positive_list(const std::string& option, const std::string& text) {
  std::vector<int64_t> values;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ',')) {
    size_t used = 0;
    int64_t value = 0;
    try {
      value = std::stoll(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (item.empty() || used != item.size() || value < 1) {
      throw Error("--" + option + ": '" + item +
                  "' is not a positive integer (expected e.g. 224,1024)");
    }
    values.push_back(value);
  }
  if (values.empty()) throw Error("--" + option + ": no values given");
  return values;
}

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

// --transform's names, else every transform plugin's.
std::vector<std::string> transform_names(const PluginRegistry& registry,
                                         const std::vector<std::string>& only) {
  std::vector<std::string> names = only;
  if (names.empty()) {
    for (const auto* component : registry.components("transform"))
      names.push_back(component->info.name);
  }
  if (names.empty())
    throw Error("no transform plugins found; 'stegolab plugins' shows the search path");
  return names;
}

// The memory-bandwidth bound of a transform round trip, in MP/s, said in one line.
double bandwidth_bound(const TransformBenchmark& benchmark, int bandwidth_mib) {
  const BandwidthReference bandwidth = benchmark.measure_bandwidth(int64_t{bandwidth_mib} << 20);
  const double bound = bandwidth.gigabytes_per_second * 1e9 /
                       static_cast<double>(benchmark.minimum_bytes_per_pixel()) / 1e6;
  std::cout << std::fixed << std::setprecision(1) << "memory bandwidth (copy of "
            << (bandwidth.bytes >> 20) << " MiB): " << bandwidth.gigabytes_per_second
            << " GB/s; a round trip moves >= " << benchmark.minimum_bytes_per_pixel()
            << " bytes/pixel, so the bound is " << bound << " MP/s\n\n";
  return bound;
}

struct TransformGrid {
  std::vector<int64_t> sizes, batches;
};

void print_transform_table(const PluginRegistry& registry, const std::vector<std::string>& names,
                           const TransformBenchmark& benchmark, const TransformGrid& grid,
                           int levels, double bound, const BuildContext& context) {
  std::cout << std::left << std::setw(14) << "transform" << std::right << std::setw(7) << "size"
            << std::setw(7) << "batch" << std::setw(12) << "ms/batch" << std::setw(10) << "MP/s"
            << std::setw(11) << "of bound"
            << "\n";
  for (const auto& name : names) {
    const auto transform = registry.build<Transform>(name, {{"levels", levels}}, context);
    for (const int64_t size : grid.sizes) {
      for (const int64_t batch : grid.batches) {
        const TransformTiming timing = benchmark.measure(*transform, size, batch);
        std::cout << std::left << std::setw(14) << name << std::right << std::setw(7) << size
                  << std::setw(7) << batch << std::setw(12) << std::setprecision(2)
                  << timing.seconds * 1e3 << std::setw(10) << std::setprecision(1)
                  << timing.megapixels_per_second << std::setw(10)
                  << 100.0 * timing.megapixels_per_second / bound << "%\n";
      }
    }
  }
}

int bench_transforms(const Arguments& args) {
  std::string sizes_text = "224,1024";
  std::string batches_text = "1,32";
  std::string device_name = "cpu";
  int repeats = 5;
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  int levels = 1;
  int bandwidth_mib = 256;
  std::vector<std::string> only;
  std::vector<std::string> plugin_paths;
  po::options_description options("stegolab bench transforms [options]");
  options.add_options()("help,h", "show this help")(
      "sizes", po::value(&sizes_text)->default_value(sizes_text),
      "square image sizes, comma-separated")(
      "batches", po::value(&batches_text)->default_value(batches_text),
      "batch sizes, comma-separated")("repeats", po::value(&repeats)->default_value(repeats),
                                      "timed runs per point (median reported)")(
      "threads", po::value(&threads)->default_value(threads),
      "CPU threads (torch::set_num_threads)")(
      "device", po::value(&device_name)->default_value(device_name), "cpu or cuda")(
      "levels", po::value(&levels)->default_value(levels),
      "decomposition levels of every transform")("transform", po::value(&only)->composing(),
                                                 "benchmark only this transform (repeatable)")(
      "bandwidth-mib", po::value(&bandwidth_mib)->default_value(bandwidth_mib),
      "size of the copy that measures memory bandwidth (well above the caches)");
  add_plugin_path_option(options, &plugin_paths);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(options).run(), vm);
  po::notify(vm);
  if (vm.count("help")) {
    std::cout << options << "\n";
    return 0;
  }
  const std::vector<int64_t> sizes = parse_positive_list("sizes", sizes_text);
  const std::vector<int64_t> batches = parse_positive_list("batches", batches_text);
  if (repeats < 1) throw Error("--repeats: must be at least 1");
  if (threads < 1) throw Error("--threads: must be at least 1");
  if (levels < 1) throw Error("--levels: must be at least 1");
  if (bandwidth_mib < 1) throw Error("--bandwidth-mib: must be at least 1");
  const torch::Device device = parse_device(device_name, "--device");
  torch::set_num_threads(threads);

  const PluginRegistry registry = load_plugins(plugin_paths, &std::cerr);
  const std::vector<std::string> names = transform_names(registry, only);
  BuildContext context;
  context.device = device;

  TransformBenchmarkOptions bench_options;
  bench_options.device = device;
  bench_options.repeats = repeats;
  const TransformBenchmark benchmark(bench_options);

  std::cout << "transforms: forward + inverse, " << bench_options.channels
            << "-channel fp32 images of 8-bit values, levels " << levels << ", device "
            << device.str() << ", " << torch::get_num_threads() << " threads, median of " << repeats
            << " after " << bench_options.warmup << " warm-up\n";
  const double bound = bandwidth_bound(benchmark, bandwidth_mib);
  print_transform_table(registry, names, benchmark, {sizes, batches}, levels, bound, context);
  return 0;
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

struct Benchmark {
  const char* name;
  int (*run)(const Arguments&);
  const char* summary;
};

const Benchmark kBenchmarks[] = {
    {"step", bench_step,
     "training steps of one trial on synthetic batches: images/s, memory, GFLOP/s"},
    {"matrix", bench_matrix,
     "every trial for a fixed number of steps, throughput into the database"},
    {"transforms", bench_transforms, "forward+inverse throughput of every transform plugin"},
    {"data", bench_data,
     "a trial's training data pipeline: crops/s, per worker; with --step the data wait"},
};

void print_usage(std::ostream& out) {
  out << "usage: stegolab bench <benchmark> [options]   (stegolab bench <benchmark> --help)\n\n";
  for (const auto& benchmark : kBenchmarks) {
    out << "  " << std::left << std::setw(12) << benchmark.name << benchmark.summary << "\n";
  }
  out << "  (a plugin's command bench_<name> runs as `stegolab bench <name>`)\n";
}

}  // namespace

int bench_command(const Arguments& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    print_usage(args.empty() ? std::cerr : std::cout);
    return args.empty() ? 2 : 0;
  }
  for (const auto& benchmark : kBenchmarks) {
    if (args[0] == benchmark.name) return benchmark.run(Arguments(args.begin() + 1, args.end()));
  }
  // A plugin's benchmark: the command plugin named bench_<name>.
  if (const auto code = run_plugin_command("bench", args)) return *code;
  std::ostringstream known;
  for (const auto& benchmark : kBenchmarks) known << " " << benchmark.name;
  throw Error("unknown benchmark '" + args[0] + "'; available:" + known.str() +
              " (and a plugin's command bench_<name>)");
}

}  // namespace stegolab::cli
