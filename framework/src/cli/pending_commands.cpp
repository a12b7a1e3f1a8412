// Subcommands whose module has not landed yet. Each one moves to its own
// <name>_command.cpp when its module lands; this file shrinks to nothing.
#include "cli/commands.hpp"
#include "stegolab/errors.hpp"

namespace stegolab::cli {

int tune_batch_command(const Arguments&) {
  throw Error("'tune-batch' is not available in this build yet");
}

}  // namespace stegolab::cli
