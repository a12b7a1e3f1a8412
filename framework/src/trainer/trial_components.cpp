#include "trainer/trial_components.hpp"

#include <cstdlib>

#include <torch/torch.h>

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
  components.source = factory.make_source(trial.data, context);
  context.image_size = components.source->image_size();
  context.channels = components.source->channels();
  components.transform = factory.make_transform(trial.transform, context);
  context.transform = components.transform;
  components.model = factory.make_model(trial.model, context);
  components.loss = factory.make_loss(trial.loss, context);
  components.strategy = factory.make_strategy(trial.strategy, context);
  components.model->to(device);
  return components;
}

StrategySetup make_strategy_setup(const TrialSpec& trial, const TrialComponents& components,
                                  int64_t total_steps) {
  StrategySetup setup;
  setup.parameters = components.model->parameters();
  setup.device = components.device;
  setup.optimizer = trial.train.optimizer;
  setup.schedule = trial.train.schedule;
  setup.total_steps = total_steps;
  return setup;
}

LossFunction training_loss(StegoModel& model, Loss& loss, const TrainingProgress& progress) {
  return [&model, &loss, progress](const MicroBatch& batch) {
    const Embedding embedding = model.embed(batch.cover, batch.secret);
    const torch::Tensor received = loss.perturb(embedding.stego, progress);
    LossInput input;
    input.cover = batch.cover;
    input.secret = batch.secret;
    input.stego = embedding.stego;
    input.recovered = model.extract(received);
    input.lost = embedding.lost;
    input.progress = progress;
    return loss.compute(input);
  };
}

}  // namespace stegolab
