// Strategy: how one optimisation step runs (precision, accumulation,
// clipping, optimiser, learning-rate schedule).
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include <torch/serialize/archive.h>
#include <torch/types.h>

#include "stegolab/export.hpp"
#include "stegolab/loss.hpp"
#include "stegolab/parameter_group.hpp"
#include "stegolab/plugin.hpp"
#include "stegolab/tensor_map.hpp"

namespace stegolab {

// The experiment's `train.optimizer` and `train.schedule`, validated by the host.
struct OptimizerSettings {
  std::string name = "adam";  // "adam" | "adamw"
  double lr = 1e-4;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
  double weight_decay = 0.0;
};

struct ScheduleSettings {
  std::string name = "cosine";  // "constant" | "cosine" | "step"
  int64_t warmup_steps = 0;     // linear warm-up from 0
  double min_factor = 0.0;      // cosine floor, as a fraction of lr
  int64_t step_size = 1000;     // "step": multiply by gamma every step_size steps
  double gamma = 0.5;
};

// Learning rate at optimiser step `step` (0-based) of `total_steps`: shared
// by every strategy so that schedules mean the same thing everywhere.
STEGOLAB_VISIBLE double scheduled_learning_rate(const OptimizerSettings& optimizer,
                                                const ScheduleSettings& schedule, int64_t step,
                                                int64_t total_steps);

struct StrategySetup {
  std::vector<torch::Tensor> parameters;  // what to optimise at optimizer.lr
  // Besides `parameters`: groups at their own learning rate (a model's
  // GroupedParameters), which the schedule scales like the main one.
  std::vector<ParameterGroup> groups;
  torch::Device device = torch::kCPU;
  OptimizerSettings optimizer;
  ScheduleSettings schedule;
  int64_t total_steps = 1;  // optimiser steps planned for the trial
};

// One micro-batch: the named images a task composed (NCHW float in [-1, 1]
// on the device); a strategy may change their memory format, never their names.
using MicroBatch = TensorMap;

// Forward pass + loss of one micro-batch; the strategy decides the precision
// it runs under and what happens to the result.
using LossFunction = std::function<LossValue(const MicroBatch&)>;

// What the host's divergence guard asks of one step.
struct StepLimits {
  // A finite loss above this is an explosion: the step is not applied. The
  // host sets it from the recent losses; infinity disables the check.
  double loss_ceiling = std::numeric_limits<double>::infinity();
};

struct StepReport {
  bool applied = false;    // the optimiser stepped
  bool nonfinite = false;  // loss or gradients were inf/NaN: the step was skipped
  // The loss was finite but the fp16-scaled gradients overflowed: the step was
  // skipped and the loss scale lowered. Routine while the scale settles, so
  // the divergence guard does not count it (nonfinite is also set).
  bool scaler_overflow = false;
  bool exploded = false;  // the loss was above StepLimits::loss_ceiling: the step was skipped
  torch::Tensor loss;     // detached scalar on the device: mean over micro-batches
  double loss_value = std::numeric_limits<double>::quiet_NaN();  // the same, on the host
  std::vector<std::pair<std::string, torch::Tensor>> terms;      // same, per term
  double learning_rate = 0.0;
  double loss_scale = 1.0;  // fp16 dynamic loss scale after this step (1 otherwise)
};

class STEGOLAB_VISIBLE Strategy {
 public:
  virtual ~Strategy();
  virtual void setup(const StrategySetup& setup) = 0;
  // How many micro-batches make one optimiser step.
  virtual int64_t accumulation() const = 0;
  // One optimiser step over accumulation() micro-batches. Whether to apply
  // it needs the loss on the host; that is the step's one host synchronisation.
  virtual StepReport step(const std::vector<MicroBatch>& micro_batches, const LossFunction& loss,
                          const StepLimits& limits) = 0;
  // Runs `fn` under this strategy's precision without gradients (evaluation).
  virtual void evaluate(const std::function<void()>& fn) = 0;
  // The divergence guard lowers the learning rate after a restore.
  virtual void scale_learning_rate(double factor) = 0;
  virtual std::string precision() const = 0;  // "fp32" | "fp16" | "bf16"
  virtual void save(torch::serialize::OutputArchive& archive) const = 0;
  virtual void load(torch::serialize::InputArchive& archive) = 0;
};

template <>
struct KindOf<Strategy> {
  static constexpr const char* name = "strategy";
};

}  // namespace stegolab
