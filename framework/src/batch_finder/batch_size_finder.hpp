// The largest training batch of a trial that fits a memory budget: each
// probe builds the trial's components, runs one real training step and one
// evaluation pass on synthetic batches and measures what they needed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "spec/trial_spec.hpp"
#include "trainer/trainer.hpp"

namespace stegolab {

struct BatchFinderOptions {
  // CPU: bytes the trial may grow the process's RSS by; 0: half of the
  // kernel's MemAvailable. CUDA: unused (the device's memory is the budget:
  // a probe fits when it raises no out-of-memory error).
  double budget_bytes = 0.0;
  double margin = 0.10;     // measured need x (1 + margin) must stay within the budget
  int64_t max_batch = 0;    // 0: the trial's training split (a larger batch never fills one step)
  std::ostream* log = nullptr;  // one line per probe when set
};

struct BatchProbe {
  int64_t batch = 0;
  bool fits = false;
  double needed_mb = 0.0;  // CPU: peak RSS growth of build + step + eval; NaN on CUDA / after OOM
  std::string note;        // "out of memory" when the probe raised one
};

struct BatchFinderResult {
  int64_t batch = 0;        // the answer (>= 1)
  double budget_mb = 0.0;   // NaN on CUDA
  int64_t limit = 0;        // the largest batch that was allowed
  std::vector<BatchProbe> probes;
};

// Half of MemAvailable from /proc/meminfo, in bytes. Throws Error when it
// cannot be read.
double default_memory_budget_bytes();

// trial.train.device must be resolved ("cpu" | "cuda"). Throws Error naming
// the trial when not even batch 1 fits.
BatchFinderResult find_largest_batch(ComponentFactory& factory, const TrialSpec& trial,
                                     const BatchFinderOptions& options);

}  // namespace stegolab
