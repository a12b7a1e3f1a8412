// ProgramRun: runs one external program (sbatch, squeue, scontrol) with an
// argument list, no shell in between, and collects what it printed.
#pragma once

#include <string>
#include <vector>

namespace stegolab {

struct ProgramRun {
  // The program's exit status; -1 when it could not be started or was
  // killed by a signal (then `output` says why).
  int status = -1;
  std::string output;  // stdout and stderr together

  // Runs argv[0] (looked up on PATH) with the other elements as its
  // arguments and stdin from /dev/null, and waits for it. Never throws for
  // the program's failures: the caller decides what a status means.
  static ProgramRun run(const std::vector<std::string>& argv);

  bool ok() const { return status == 0; }
  // The output's first line, trimmed, for one-line messages.
  std::string first_output_line() const;
  // Its last non-empty line: Slurm's commands end a failure with the cause
  // ("sbatch: fatal: ...") after lines of detail.
  std::string last_output_line() const;
};

}  // namespace stegolab
