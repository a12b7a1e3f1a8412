// InterruptHandlers: SIGINT/SIGTERM turn into a flag the trainer polls.
#pragma once

#include <atomic>

namespace stegolab {

// While alive, the first SIGINT or SIGTERM sets flag() (and says on stderr
// that the run is stopping); a second one exits the process at once with
// status 130. The previous handlers are restored on destruction. Only one
// instance may be alive at a time (signal handlers are process-wide).
class InterruptHandlers {
 public:
  InterruptHandlers();
  ~InterruptHandlers();
  InterruptHandlers(const InterruptHandlers&) = delete;
  InterruptHandlers& operator=(const InterruptHandlers&) = delete;

  const std::atomic<bool>& flag() const;
  bool interrupted() const { return flag().load(); }
};

}  // namespace stegolab
