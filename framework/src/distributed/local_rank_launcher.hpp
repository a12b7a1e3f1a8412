// `stegolab run --nproc N`: starts N ranks of a data-parallel run on this
// machine as child processes of this program, with torchrun's variables and
// a file rendezvous, and waits for them.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace stegolab {

// Starts `ranks` copies of this program with `arguments` (its command line
// after the program's name, without --nproc), each with RANK, WORLD_SIZE,
// LOCAL_RANK and STEGOLAB_RENDEZVOUS_FILE set. When one rank fails the
// others are given a few seconds to stop on their own (their collectives
// fail at once), then killed. SIGTERM and SIGUSR1 are passed on to the
// ranks (a terminal's Ctrl-C reaches them directly). Returns 0 when every
// rank succeeded, else the status of the first that did not; each failing
// rank is named on one line of `err`.
int run_local_ranks(int ranks, const std::vector<std::string>& arguments, std::ostream& err);

}  // namespace stegolab
