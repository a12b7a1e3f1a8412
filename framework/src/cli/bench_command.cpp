// `stegolab bench <what>`: benchmarks. Each subcommand is one entry in
// kBenchmarks; each lives in its own file (bench_*_command.cpp).
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>

#include "cli/bench_data_command.hpp"
#include "cli/bench_step_command.hpp"
#include "cli/bench_transforms_command.hpp"
#include "cli/commands.hpp"
#include "cli/plugin_commands.hpp"
#include "stegolab/errors.hpp"

namespace stegolab::cli {

namespace {

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
