#include "trainer/trial_components.hpp"

#include <algorithm>
#include <cstdlib>

#include <torch/torch.h>

#include "data/repeated_samples.hpp"
#include "data/sample_side.hpp"
#include "stegolab/errors.hpp"
#include "task_host/section_builder.hpp"
#include "trainer/random_streams.hpp"
#include "trainer/trial_source.hpp"

namespace stegolab {

namespace {

// Reproducible runs: deterministic kernels where LibTorch has them (an error
// where it has none), cuDNN without autotuning, and the cuBLAS workspace
// setting that deterministic matrix products need on CUDA (read by cuBLAS
// when LibTorch first uses it; a setting the user made is kept).
void apply_deterministic_mode(bool deterministic) {
  at::globalContext().setDeterministicAlgorithms(deterministic, false);
  at::globalContext().setDeterministicCuDNN(deterministic);
  if (deterministic) {
    at::globalContext().setBenchmarkCuDNN(false);
    ::setenv("CUBLAS_WORKSPACE_CONFIG", ":4096:8", /*overwrite=*/0);
  }
}

}  // namespace

TrialComponents build_trial_components(ComponentFactory& factory, const TrialSpec& trial,
                                       torch::Device device) {
  TrialComponents components;
  components.device = device;
  torch::manual_seed(trial.seed);
  if (device.is_cuda()) torch::cuda::manual_seed_all(trial.seed);
  apply_deterministic_mode(trial.train.deterministic);
  if (trial.train.threads > 0) torch::set_num_threads(static_cast<int>(trial.train.threads));

  BuildContext context;
  context.device = device;
  context.seed = trial.seed;
  context.epochs = trial.train.epochs;
  components.source = make_trial_source(factory, trial, context);
  context.image_size = training_sample_side(*components.source);
  context.channels = components.source->channels();
  context.source = components.source;
  context.folder = trial.folder;
  components.task = factory.make_task(trial.task, context);
  const std::string task_name = "task '" + trial.task.plugin + "'";
  SectionBuilder builder(task_name, trial.sections,
                         [&factory](const std::string& kind, const ComponentSpec& spec,
                                    const BuildContext& section_context) {
                           return factory.make_section(kind, spec, section_context);
                         });
  components.task->build(builder, context);
  components.strategy = factory.make_strategy(trial.strategy, context);
  components.modules = components.task->modules();
  if (components.modules.empty())
    throw Error(task_name + ": modules() returned no module to train");
  for (const auto& [name, module] : components.modules) {
    if (!module) throw Error(task_name + ": modules() returned no module for '" + name + "'");
    module->to(device);
  }
  return components;
}

StrategySetup make_strategy_setup(const TrialSpec& trial, const TrialComponents& components,
                                  int64_t total_steps) {
  StrategySetup setup;
  std::vector<std::shared_ptr<torch::nn::Module>> modules;
  for (const auto& [name, module] : components.modules) modules.push_back(module);
  setup.groups = split_parameter_groups(modules, setup.parameters);
  setup.device = components.device;
  setup.optimizer = trial.train.optimizer;
  setup.schedule = trial.train.schedule;
  setup.total_steps = total_steps;
  return setup;
}

PrecisionScope precision_scope(Strategy& strategy) {
  return [&strategy](const std::function<void()>& fn) {
    strategy.evaluate([&fn] {
      torch::NoGradGuard no_grad;
      fn();
    });
  };
}

MicroBatch random_batch(Task& task, bool training, int64_t n, int64_t channels, int64_t size,
                        torch::Device device) {
  // Enough images for a task that composes a sample of several (up to 8).
  const torch::Tensor few = torch::arange(8, torch::kLong);
  const TensorMap names =
      training ? task.training_samples(few, 0, 0, 2) : task.evaluation_samples(few);
  const auto options = torch::TensorOptions().dtype(torch::kFloat).device(device);
  MicroBatch batch;
  for (const auto& [name, indices] : names.entries()) {
    batch.set(name, torch::rand({n, channels, size, size}, options) * 2 - 1);
  }
  return batch;
}

TensorMap epoch_training_samples(const TrialComponents& components, const TrialSpec& trial,
                                 const torch::Tensor& train, int64_t epoch, int64_t count) {
  // Before the pipeline starts loading (and augmenting).
  restart_random_streams(trial.seed, RandomPhase::training, epoch, *components.source);
  const int64_t crops = std::max<int64_t>(1, components.source->crops_per_image());
  return repeat_samples(components.task->training_samples(train, trial.seed, epoch,
                                                          samples_before_repeats(count, crops)),
                        crops, count);
}

int64_t parameter_count(const std::vector<NamedModule>& modules) {
  int64_t count = 0;
  for (const auto& [name, module] : modules) {
    for (const auto& parameter : module->parameters()) count += parameter.numel();
  }
  return count;
}

void set_training_mode(const std::vector<NamedModule>& modules, bool training) {
  for (const auto& [name, module] : modules) module->train(training);
}

LossFunction training_loss(Task& task, const std::string& task_name,
                           const TrainingProgress& progress) {
  return [&task, task_name, progress](const MicroBatch& batch) {
    LossValue value = task.training_loss(batch, progress);
    if (!value.total.defined() || value.total.numel() != 1 || !value.total.is_floating_point()) {
      throw PluginError(task_name + ": training_loss returned total " + shape_text(value.total) +
                        ", expected a floating-point scalar");
    }
    return value;
  };
}

}  // namespace stegolab
