// Times consecutive steps of work on a device. On CUDA, work is queued and
// runs later: a host clock around it would time the launches (or, with a
// synchronisation after every step, add the host's idle wait to every step).
// CUDA events recorded on the current stream before and after each step time
// what the device did, and the host never waits inside a step. On the CPU
// (work is done when the call returns) the steady clock does the same.
#pragma once

#include <memory>
#include <vector>

#include <torch/types.h>

#include "device/interval_clock.hpp"

namespace stegolab {

class StepTimer {
 public:
  explicit StepTimer(torch::Device device);

  void begin();
  void end();  // throws std::logic_error without a begin()

  // Seconds of every step ended so far, in order. On CUDA this waits until the
  // device has finished the last step.
  std::vector<double> seconds();

 private:
  std::unique_ptr<IntervalClock> clock_;
};

}  // namespace stegolab
