// The `stegolab` command: dispatches to one subcommand and turns every error
// into one line on stderr and a non-zero exit code.
#include <cstring>
#include <exception>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <c10/util/Exception.h>

#include "cli/commands.hpp"
#include "cli/plugin_commands.hpp"
#include "cli/plugin_path_option.hpp"
#include "device/caching_host_allocator.hpp"
#include "device/host_heap_settings.hpp"
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
    {"gallery", stegolab::cli::gallery_command, "a trial's pictures again, from a checkpoint"},
    {"bench", stegolab::cli::bench_command, "benchmarks: step, matrix, transforms, data"},
    {"tune-batch", stegolab::cli::tune_batch_command, "find the largest batch that fits"},
    {"submit", stegolab::cli::submit_command, "run a sweep as a Slurm job array; --status"},
    {"compare", stegolab::cli::compare_command, "PSNR, SSIM, MS-SSIM, APD, ... of two images"},
};

void print_usage(std::ostream& out) {
  out << "usage: stegolab <command> [options]   (stegolab <command> --help for its options)\n\n";
  for (const auto& command : kCommands) {
    out << "  " << command.name << std::string(12 - std::strlen(command.name), ' ')
        << command.summary << "\n";
  }
  // The plugins' commands (a task's embed, extract, ...), from the default plugin path.
  try {
    const stegolab::PluginRegistry registry = stegolab::cli::load_plugins({}, nullptr);
    std::ostringstream listed;
    stegolab::cli::list_plugin_commands(registry, listed);
    if (!listed.str().empty()) out << "\ncommands of the installed plugins:\n" << listed.str();
  } catch (const std::exception& error) {
    out << "\n(plugin commands unavailable: " << stegolab::first_line(error.what()) << ")\n";
  }
}

// A built-in command, else a plugin's; 2 when neither has the name.
int dispatch(const std::string& name, const stegolab::cli::Arguments& args) {
  for (const auto& command : kCommands) {
    if (name == command.name) return command.run(args);
  }
  if (const auto code = stegolab::cli::run_plugin_command(name, args)) return *code;
  std::cerr << "stegolab: unknown command '" << name << "'\n\n";
  print_usage(std::cerr);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  // Before LibTorch allocates anything: see caching_host_allocator.hpp and
  // host_heap_settings.hpp.
  stegolab::apply_host_heap_settings();
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
  try {
    return dispatch(name, args);
  } catch (const c10::Error& error) {
    std::cerr << "stegolab " << name
              << ": error: " << stegolab::first_line(error.what_without_backtrace()) << "\n";
  } catch (const std::exception& error) {
    std::cerr << "stegolab " << name << ": error: " << stegolab::first_line(error.what()) << "\n";
  }
  return 1;
}
