// A clock for consecutive intervals of work on one device. The step timer
// picks the implementation: the steady clock where work is synchronous (CPU),
// device events where it is queued (CUDA).
#pragma once

#include <vector>

namespace stegolab {

class IntervalClock {
 public:
  virtual ~IntervalClock() = default;
  virtual void begin() = 0;
  virtual void end() = 0;
  // Seconds of every interval ended so far, in order. May wait for the device
  // to reach the last end().
  virtual std::vector<double> seconds() = 0;
};

}  // namespace stegolab
