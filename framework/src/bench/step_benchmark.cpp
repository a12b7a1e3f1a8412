#include "bench/step_benchmark.hpp"

#include <algorithm>
#include <cmath>

#include <torch/torch.h>

#include "data/sample_side.hpp"
#include "device/device_name.hpp"
#include "device/peak_memory.hpp"
#include "device/step_timer.hpp"
#include "stegolab/errors.hpp"
#include "trainer/trial_components.hpp"

namespace stegolab {

double quantile(std::vector<double> values, double q) {
  if (values.empty()) throw Error("quantile of no values");
  std::sort(values.begin(), values.end());
  const double position = q * static_cast<double>(values.size() - 1);
  const auto below = static_cast<size_t>(std::floor(position));
  const size_t above = std::min(below + 1, values.size() - 1);
  const double weight = position - static_cast<double>(below);
  return values[below] * (1.0 - weight) + values[above] * weight;
}

StepBenchmarkResult run_step_benchmark(ComponentFactory& factory, const TrialSpec& trial,
                                       const StepBenchmarkOptions& options) {
  if (options.steps < 1) throw Error("bench step: --steps must be at least 1");
  if (options.warmup < 0) throw Error("bench step: --warmup must not be negative");
  const int64_t batch = options.batch > 0 ? options.batch : trial.train.batch_size;
  if (batch < 1) {
    throw Error("bench step: train.batch_size of trial '" + trial.key +
                "' is not a number (\"auto\"?); give --batch N");
  }
  const torch::Device device = parse_device(trial.train.device, "train.device");
  TrialComponents components = build_trial_components(factory, trial, device);
  const int64_t accumulation = std::max<int64_t>(1, components.strategy->accumulation());
  const int64_t total_steps = options.warmup + options.steps;
  components.strategy->setup(make_strategy_setup(trial, components, total_steps));
  set_training_mode(components.modules, true);

  StepBenchmarkResult result;
  result.device = device.str();
  result.precision = components.strategy->precision();
  result.threads = torch::get_num_threads();
  result.batch = batch;
  result.accumulation = accumulation;
  result.image_size = training_sample_side(*components.source);
  result.channels = components.source->channels();
  result.parameters = parameter_count(components.modules);

  // Synthetic images in [-1, 1], created once on the device: the loop below
  // then measures compute only.
  std::vector<MicroBatch> micro;
  for (int64_t i = 0; i < accumulation; ++i) {
    micro.push_back(random_batch(*components.task, /*training=*/true, batch, result.channels,
                                 result.image_size, device));
  }
  const std::string task_name = "task '" + trial.task.plugin + "'";

  reset_peak_memory(device);
  result.baseline_memory_mb = peak_memory_mb(device);
  const auto run_step = [&](int64_t step) {
    TrainingProgress progress;
    progress.epoch = 0;
    progress.epochs = 1;
    progress.fraction = static_cast<double>(step) / static_cast<double>(total_steps);
    components.strategy->step(micro, training_loss(*components.task, task_name, progress),
                              StepLimits{});
  };
  StepTimer timer(device);
  for (int64_t step = 0; step < total_steps; ++step) {
    const bool timed = step >= options.warmup;
    if (timed) timer.begin();
    run_step(step);
    if (timed) timer.end();
  }
  result.step_seconds = timer.seconds();  // on CUDA: waits for the last step
  result.peak_memory_mb = peak_memory_mb(device);
  // After the timed steps, so the profiler's own cost is in no figure above.
  if (options.profile) result.operators = profile_operators([&] { run_step(total_steps - 1); });

  result.median_seconds = quantile(result.step_seconds, 0.5);
  result.p10_seconds = quantile(result.step_seconds, 0.1);
  result.p90_seconds = quantile(result.step_seconds, 0.9);
  const double images_per_step = static_cast<double>(batch * accumulation);
  result.images_per_s = images_per_step / result.median_seconds;
  result.forward_flops_per_image =
      components.task->inference_flops(result.image_size, result.image_size);
  result.training_flops_per_image =
      components.task->training_flops(result.image_size, result.image_size);
  result.gflops_per_s =
      result.training_flops_per_image * images_per_step / result.median_seconds / 1e9;
  return result;
}

}  // namespace stegolab
