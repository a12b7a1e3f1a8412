// The components of one trial, built exactly as the trainer builds them.
// Shared by the trainer, `stegolab bench step` and the batch-size finder so
// that a benchmark or a memory probe measures the same thing a trial runs.
#pragma once

#include <memory>

#include <torch/types.h>

#include "spec/trial_spec.hpp"
#include "stegolab/dataset.hpp"
#include "stegolab/loss.hpp"
#include "stegolab/model.hpp"
#include "stegolab/strategy.hpp"
#include "stegolab/transform.hpp"
#include "trainer/trainer.hpp"

namespace stegolab {

struct TrialComponents {
  torch::Device device = torch::kCPU;
  std::shared_ptr<ImageSource> source;
  std::shared_ptr<Transform> transform;
  std::shared_ptr<StegoModel> model;
  std::shared_ptr<Loss> loss;
  std::shared_ptr<Strategy> strategy;
};

// Seeds LibTorch, applies train.deterministic and train.threads, builds the
// five components in dependency order and moves the model to `device`.
TrialComponents build_trial_components(ComponentFactory& factory, const TrialSpec& trial,
                                        torch::Device device);

// The strategy's setup for `total_steps` optimiser steps of this trial.
StrategySetup make_strategy_setup(const TrialSpec& trial, const TrialComponents& components,
                                  int64_t total_steps);

// The training objective of one micro-batch (cover, secret: NCHW float in
// [-1, 1]): embed, the loss's channel (perturb), extract, loss.
LossFunction training_loss(StegoModel& model, Loss& loss, const TrainingProgress& progress);

}  // namespace stegolab
