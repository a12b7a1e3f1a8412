// `stegolab bench transforms`: forward+inverse throughput of every transform
// plugin against the memory-bandwidth bound.
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <torch/torch.h>
#include <boost/program_options.hpp>

#include "bench/transform_benchmark.hpp"
#include "cli/bench_transforms_command.hpp"
#include "cli/command_line.hpp"
#include "cli/plugin_path_option.hpp"
#include "device/device_name.hpp"
#include "spec/registry_catalog.hpp"
#include "stegolab/errors.hpp"
#include "stegolab/transform.hpp"

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

}  // namespace

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

}  // namespace stegolab::cli
