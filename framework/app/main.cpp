// The `stegolab` command: dispatches to one subcommand and turns every error
// into one line on stderr and a non-zero exit code.
#include <cstring>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include <c10/util/Exception.h>

#include "cli/commands.hpp"
#include "device/caching_host_allocator.hpp"
#include "stegolab/errors.hpp"

namespace {

struct Command {
  const char* name;
  int (*run)(const stegolab::cli::Arguments&);
  const char* summary;
};

const Command kCommands[] = {
    {"run", stegolab::cli::run_command, "run an experiment's sweep (resumes where it stopped)"},
    {"plugins", stegolab::cli::plugins_command, "list plugins; 'plugins show NAME' for parameters"},
    {"results", stegolab::cli::results_command, "list, show and export a results database"},
    {"report", stegolab::cli::report_command, "comparison tables (Markdown, LaTeX, CSV)"},
    {"plot", stegolab::cli::plot_command, "SVG plots of metrics and throughput"},
    {"embed", stegolab::cli::embed_command, "hide a secret image in a cover with a checkpoint"},
    {"extract", stegolab::cli::extract_command, "recover a secret image from a stego image"},
    {"bench", stegolab::cli::bench_command, "benchmarks: step, matrix, transforms"},
    {"tune-batch", stegolab::cli::tune_batch_command, "find the largest batch that fits"},
};

void print_usage(std::ostream& out) {
  out << "usage: stegolab <command> [options]   (stegolab <command> --help for its options)\n\n";
  for (const auto& command : kCommands) {
    out << "  " << command.name << std::string(12 - std::strlen(command.name), ' ')
        << command.summary << "\n";
  }
}

// LibTorch messages carry a C++ backtrace after the first line; users need the first line.
std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

}  // namespace

int main(int argc, char** argv) {
  // Before LibTorch allocates anything: see caching_host_allocator.hpp.
  stegolab::CachingHostAllocator::install();
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0) {
    print_usage(argc < 2 ? std::cerr : std::cout);
    return argc < 2 ? 2 : 0;
  }
  if (std::strcmp(argv[1], "--version") == 0) {
    std::cout << "stegolab " << STEGOLAB_VERSION << "\n";
    return 0;
  }
  const std::string name = argv[1];
  const stegolab::cli::Arguments args(argv + 2, argv + argc);
  for (const auto& command : kCommands) {
    if (name != command.name) continue;
    try {
      return command.run(args);
    } catch (const c10::Error& error) {
      std::cerr << "stegolab " << name << ": error: " << first_line(error.what_without_backtrace())
                << "\n";
    } catch (const std::exception& error) {
      std::cerr << "stegolab " << name << ": error: " << first_line(error.what()) << "\n";
    }
    return 1;
  }
  std::cerr << "stegolab: unknown command '" << name << "'\n\n";
  print_usage(std::cerr);
  return 2;
}
