// Subcommands whose module has not landed yet. Each one moves to its own
// <name>_command.cpp when its module lands; this file shrinks to nothing.
#include <iostream>

#include "cli/commands.hpp"
#include "stegolab/errors.hpp"

namespace stegolab::cli {

namespace {
[[noreturn]] void not_available(const char* name) {
  throw Error(std::string("'") + name + "' is not available in this build yet");
}
}  // namespace

int run_command(const Arguments&) { not_available("run"); }
int results_command(const Arguments&) { not_available("results"); }
int report_command(const Arguments&) { not_available("report"); }
int plot_command(const Arguments&) { not_available("plot"); }
int embed_command(const Arguments&) { not_available("embed"); }
int extract_command(const Arguments&) { not_available("extract"); }
int bench_command(const Arguments&) { not_available("bench"); }
int tune_batch_command(const Arguments&) { not_available("tune-batch"); }

}  // namespace stegolab::cli
