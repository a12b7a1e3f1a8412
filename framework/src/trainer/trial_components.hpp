// The components of one trial, built exactly as the trainer builds them.
// Shared by the trainer, `stegolab bench step` and the batch-size finder so
// that a benchmark or a memory probe measures the same thing a trial runs.
#pragma once

#include <memory>
#include <vector>

#include <torch/types.h>

#include "spec/trial_spec.hpp"
#include "stegolab/dataset.hpp"
#include "stegolab/strategy.hpp"
#include "stegolab/task.hpp"
#include "trainer/trainer.hpp"

namespace stegolab {

struct TrialComponents {
  torch::Device device = torch::kCPU;
  std::shared_ptr<ImageSource> source;
  std::shared_ptr<Task> task;  // built, with its sections' components
  std::shared_ptr<Strategy> strategy;
  std::vector<NamedModule> modules;  // task->modules(), checked to be non-empty
};

// Seeds LibTorch, applies train.deterministic and train.threads, builds the
// source, the task (which builds its sections) and the strategy, and moves
// the task's modules to `device`.
TrialComponents build_trial_components(ComponentFactory& factory, const TrialSpec& trial,
                                       torch::Device device);

// The strategy's setup for `total_steps` optimiser steps of this trial.
StrategySetup make_strategy_setup(const TrialSpec& trial, const TrialComponents& components,
                                  int64_t total_steps);

// The strategy's precision without gradients, as a task's evaluation runs its models.
PrecisionScope precision_scope(Strategy& strategy);

// A batch of `n` uniform random images in [-1, 1] ([n, channels, size,
// size] on `device`) under each name the task's samples have (training or
// evaluation): what benchmarks and memory probes feed a task without data.
MicroBatch random_batch(Task& task, bool training, int64_t n, int64_t channels, int64_t size,
                        torch::Device device);

// The samples of training epoch `epoch` (0-based), `count` of them: restarts
// the epoch's random streams (random_streams.hpp), then takes the task's
// training_samples() of `train` with each drawn sample repeated the
// source's crops_per_image() times in a row. What the trainer and `bench
// data` feed the batch pipeline.
TensorMap epoch_training_samples(const TrialComponents& components, const TrialSpec& trial,
                                 const torch::Tensor& train, int64_t epoch, int64_t count);

// Trainable and fixed parameters of all modules together.
int64_t parameter_count(const std::vector<NamedModule>& modules);

// Switches every module of the task to training (true) or evaluation mode.
void set_training_mode(const std::vector<NamedModule>& modules, bool training);

// The task's training objective of one micro-batch at `progress`, with the
// host's check of what it returns (a scalar total).
LossFunction training_loss(Task& task, const std::string& task_name,
                           const TrainingProgress& progress);

}  // namespace stegolab
