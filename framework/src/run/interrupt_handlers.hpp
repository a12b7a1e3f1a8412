// InterruptHandlers: SIGINT/SIGTERM/SIGUSR1 turn into a flag the trainer polls.
#pragma once

#include <atomic>

namespace stegolab {

// While alive, the first SIGINT, SIGTERM or SIGUSR1 sets flag() (and says on
// stderr that the run is stopping); a second one exits the process at once
// with status 130. SIGUSR1 is the warning a batch scheduler sends ahead of a
// time limit or preemption (Slurm's --signal), so it stops the run the same
// way, leaving a checkpoint to resume from. The previous handlers are restored on destruction. Only
// one instance may be alive at a time (signal handlers are process-wide).
class InterruptHandlers {
 public:
  InterruptHandlers();
  ~InterruptHandlers();
  InterruptHandlers(const InterruptHandlers&) = delete;
  InterruptHandlers& operator=(const InterruptHandlers&) = delete;

  const std::atomic<bool>& flag() const;
  bool interrupted() const { return flag().load(); }
  // The signal that set the flag (SIGINT, SIGTERM or SIGUSR1); 0 before any.
  int signal_number() const;
};

}  // namespace stegolab
