#include "bench/data_benchmark.hpp"

#include <algorithm>
#include <chrono>
#include <optional>

#include <torch/torch.h>

#include "data/batch_pipeline.hpp"
#include "data/joined_sources.hpp"
#include "data/sample_side.hpp"
#include "device/device_name.hpp"
#include "device/peak_memory.hpp"
#include "stegolab/errors.hpp"
#include "trainer/trial_components.hpp"

namespace stegolab {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point begin) {
  return std::chrono::duration<double>(Clock::now() - begin).count();
}

// The trainer's optimiser step on `micro` (no divergence guard: nothing is recorded).
void training_step(TrialComponents& components, const std::string& task_name,
                   const std::vector<MicroBatch>& micro, double fraction) {
  TrainingProgress progress;
  progress.epochs = 1;
  progress.fraction = fraction;
  components.strategy->step(micro, training_loss(*components.task, task_name, progress),
                            StepLimits{});
}

struct EpochPlan {
  int64_t batches = 0;
  int64_t batch = 0;
  int64_t accumulation = 1;
  int64_t total_steps = 0;
};

DataBenchmarkEpoch run_epoch(TrialComponents& components, const TrialSpec& trial,
                             const torch::Tensor& train, int64_t epoch, const EpochPlan& plan,
                             const DataBenchmarkOptions& options,
                             const DataBenchmarkProgress& progress, double* first_batch) {
  const std::string task_name = "task '" + trial.task.plugin + "'";
  const auto begin = Clock::now();
  TensorMap samples =
      epoch_training_samples(components, trial, train, epoch, plan.batches * plan.batch);
  BatchPipeline pipeline(components.source, components.device, /*augment=*/true, std::move(samples),
                         plan.batch, /*drop_last=*/true);
  DataBenchmarkEpoch result;
  std::vector<MicroBatch> micro;
  for (int64_t index = 0; index < plan.batches; ++index) {
    std::optional<TensorMap> batch = pipeline.next();
    if (!batch || batch->empty()) break;
    if (first_batch != nullptr && index == 0) *first_batch = seconds_since(begin);
    for (const auto& [name, images] : batch->entries()) result.crops += images.size(0);
    ++result.batches;
    if (options.step) {
      micro.push_back(std::move(*batch));
      if (static_cast<int64_t>(micro.size()) == plan.accumulation) {
        const int64_t step = epoch * plan.batches / plan.accumulation + index / plan.accumulation;
        training_step(components, task_name, micro,
                      static_cast<double>(step) / static_cast<double>(plan.total_steps));
        micro.clear();
      }
    }
    if (progress) progress(epoch, index + 1, plan.batches);
  }
  if (options.step && components.device.is_cuda()) torch::cuda::synchronize();
  result.seconds = seconds_since(begin);
  result.wait_seconds = pipeline.wait_seconds();
  return result;
}

}  // namespace

DataBenchmarkResult run_data_benchmark(ComponentFactory& factory, const TrialSpec& trial,
                                       const DataBenchmarkOptions& options,
                                       const DataBenchmarkProgress& progress) {
  if (options.epochs < 1) throw Error("bench data: --epochs must be at least 1");
  if (options.batches < 0) throw Error("bench data: --batches must not be negative");
  EpochPlan plan;
  plan.batch = options.batch > 0 ? options.batch : trial.train.batch_size;
  if (plan.batch < 1) {
    throw Error("bench data: train.batch_size of trial '" + trial.key +
                "' is not a number (\"auto\"?); give --batch N");
  }
  const torch::Device device = parse_device(trial.train.device, "train.device");
  DataBenchmarkResult result;
  const auto build_begin = Clock::now();
  TrialComponents components = build_trial_components(factory, trial, device);
  const DatasetSplits splits = make_trial_splits(*components.source, trial.split, trial.seed);
  result.build_seconds = seconds_since(build_begin);
  if (splits.train.size(0) == 0)
    throw Error("bench data: trial '" + trial.key + "' has no training split");

  plan.accumulation = options.step ? std::max<int64_t>(1, components.strategy->accumulation()) : 1;
  const int64_t epoch_batches =
      trial.train.steps_per_epoch > 0
          ? trial.train.steps_per_epoch * plan.accumulation
          : std::max<int64_t>(1, splits.train.size(0) / (plan.batch * plan.accumulation)) *
                plan.accumulation;
  plan.batches = options.batches > 0 ? options.batches : epoch_batches;
  // Whole optimiser steps only.
  plan.batches = std::max(plan.accumulation, plan.batches / plan.accumulation * plan.accumulation);
  plan.total_steps = options.epochs * plan.batches / plan.accumulation;
  if (options.step) {
    components.strategy->setup(make_strategy_setup(trial, components, plan.total_steps));
    set_training_mode(components.modules, true);
  }

  result.device = device.str();
  result.batch = plan.batch;
  result.crops_per_image = std::max<int64_t>(1, components.source->crops_per_image());
  result.sample_side = training_sample_side(*components.source);
  result.training_images = splits.train.size(0);
  result.threads = torch::get_num_threads();
  for (int64_t epoch = 0; epoch < options.epochs; ++epoch) {
    result.epochs.push_back(run_epoch(components, trial, splits.train, epoch, plan, options,
                                      progress,
                                      epoch == 0 ? &result.first_batch_seconds : nullptr));
  }
  const DataBenchmarkEpoch& first = result.epochs.front();
  result.crops_per_batch = first.batches > 0 ? first.crops / first.batches : 0;
  result.peak_memory_mb = peak_memory_mb(torch::kCPU);
  return result;
}

}  // namespace stegolab
