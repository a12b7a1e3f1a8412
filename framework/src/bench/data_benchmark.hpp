// `stegolab bench data`: the training data pipeline of one trial (the
// trial's source, its training split, the task's samples, crops_per_image,
// the batch pipeline's prefetch) run for some batches without the model, or
// with the training step on each batch, to say how fast the data come and
// what share of a step waits for them.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "spec/trial_spec.hpp"
#include "trainer/trainer.hpp"

namespace stegolab {

struct DataBenchmarkOptions {
  int64_t batch = 0;    // samples per batch; 0: the trial's train.batch_size
  int64_t batches = 0;  // per epoch; 0: the trial's epoch (steps_per_epoch, else the split)
  int64_t epochs = 1;   // a source's decoded-image cache pays from the second on
  bool step = false;    // also run the training step on each batch
};

// One epoch: `crops` images the source produced in `seconds` of wall time,
// of which the consumer waited `wait_seconds` for data.
struct DataBenchmarkEpoch {
  int64_t batches = 0;
  int64_t crops = 0;
  double seconds = 0.0;
  double wait_seconds = 0.0;
};

struct DataBenchmarkResult {
  std::string device;
  int64_t batch = 0;
  int64_t crops_per_batch = 0;  // every named list of the task's samples counts
  int64_t crops_per_image = 1;  // the source's
  int64_t sample_side = 0;
  int64_t training_images = 0;       // the training split
  int threads = 1;                   // LibTorch's (the step's) threads
  double build_seconds = 0.0;        // building the trial (the source's listing included)
  double first_batch_seconds = 0.0;  // from the start of the first epoch to its first batch
  double peak_memory_mb = 0.0;       // peak RSS of the process (CPU) since before the build
  std::vector<DataBenchmarkEpoch> epochs;
};

// Called after each batch: epoch (0-based), batches done in it, its batches.
using DataBenchmarkProgress = std::function<void(int64_t, int64_t, int64_t)>;

// Builds the trial's components through `factory` as the trainer does and
// runs options.epochs epochs of options.batches batches. Throws Error for
// bad options.
DataBenchmarkResult run_data_benchmark(ComponentFactory& factory, const TrialSpec& trial,
                                       const DataBenchmarkOptions& options,
                                       const DataBenchmarkProgress& progress);

}  // namespace stegolab
