// `stegolab bench step`: times full training steps of one trial on synthetic
// batches that are already on the device (no data loading), so the figure is
// the model + loss + strategy cost alone.
// Steps are timed by the device's step timer (CUDA events on a GPU), not a
// host clock around queued work.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bench/operator_profile.hpp"
#include "spec/trial_spec.hpp"
#include "trainer/trainer.hpp"

namespace stegolab {

struct StepBenchmarkOptions {
  int64_t batch = 0;     // micro-batch size; 0: the trial's train.batch_size
  int64_t steps = 20;    // timed optimiser steps
  int64_t warmup = 3;    // untimed steps first (allocator and thread pools warm up)
  bool profile = false;  // one more step, after the timed ones, under LibTorch's profiler
};

struct StepBenchmarkResult {
  std::string device;
  std::string precision;
  int threads = 1;
  int64_t batch = 0;         // micro-batch size
  int64_t accumulation = 1;  // micro-batches per optimiser step
  int64_t image_size = 0;
  int64_t channels = 0;
  int64_t parameters = 0;            // trainable, of the task's modules
  std::vector<double> step_seconds;  // every timed step, in order
  double median_seconds = 0.0;
  double p10_seconds = 0.0;
  double p90_seconds = 0.0;
  double images_per_s = 0.0;    // batch * accumulation / median step time
  double peak_memory_mb = 0.0;  // since the components were built: peak RSS (CPU), allocator peak
                                // (CUDA); NaN where unmeasurable
  double baseline_memory_mb = 0.0;        // the same measure right before the first step
  double forward_flops_per_image = 0.0;   // the task's inference FLOPs for one image
  double training_flops_per_image = 0.0;  // the task's FLOPs of one training step, per image
  double gflops_per_s = 0.0;              // training FLOPs per second at the median step time
  std::vector<OperatorTime> operators;    // the profiled step's operators (options.profile)
};

// The q-quantile (q in [0, 1], linear interpolation) of `values` (not empty).
double quantile(std::vector<double> values, double q);

// Builds the trial's components through `factory` exactly as the trainer
// does, on `trial.train.device` ("cpu" | "cuda", already resolved), and times
// options.steps steps after options.warmup. Throws Error for bad options.
StepBenchmarkResult run_step_benchmark(ComponentFactory& factory, const TrialSpec& trial,
                                       const StepBenchmarkOptions& options);

}  // namespace stegolab
