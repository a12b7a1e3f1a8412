// The learning-rate schedule shared by every strategy (declared in strategy.hpp).
#include <algorithm>
#include <cmath>
#include <string>

#include "stegolab/errors.hpp"
#include "stegolab/strategy.hpp"

namespace stegolab {

// Warm-up: step k < warmup_steps runs at lr * (k + 1) / warmup_steps, so the
// first step already moves and step warmup_steps - 1 reaches the full rate.
// The schedule's own clock starts after warm-up: t = step - warmup_steps.
//   constant: lr
//   cosine:   lr * (min + (1 - min) * (1 + cos(pi * t / (total - warmup))) / 2)
//   step:     lr * gamma^floor(t / step_size)
// Steps past total_steps keep the last value of cosine (its floor).
double scheduled_learning_rate(const OptimizerSettings& optimizer, const ScheduleSettings& schedule,
                               int64_t step, int64_t total_steps) {
  if (step < 0) throw Error("learning-rate schedule: step must be >= 0, got " + std::to_string(step));
  if (schedule.warmup_steps < 0) {
    throw ParamError("train.schedule.warmup_steps must be >= 0, got " +
                     std::to_string(schedule.warmup_steps));
  }
  const double lr = optimizer.lr;
  if (step < schedule.warmup_steps) {
    return lr * static_cast<double>(step + 1) / static_cast<double>(schedule.warmup_steps);
  }
  const int64_t t = step - schedule.warmup_steps;
  if (schedule.name == "constant") return lr;
  if (schedule.name == "cosine") {
    const int64_t span = std::max<int64_t>(1, total_steps - schedule.warmup_steps);
    const double progress = std::min(1.0, static_cast<double>(t) / static_cast<double>(span));
    const double floor = schedule.min_factor;
    return lr * (floor + (1.0 - floor) * 0.5 * (1.0 + std::cos(M_PI * progress)));
  }
  if (schedule.name == "step") {
    if (schedule.step_size < 1) {
      throw ParamError("train.schedule.step_size must be >= 1, got " +
                       std::to_string(schedule.step_size));
    }
    return lr * std::pow(schedule.gamma, static_cast<double>(t / schedule.step_size));
  }
  throw ParamError("train.schedule.name must be one of \"constant\", \"cosine\", \"step\", got \"" +
                   schedule.name + "\"");
}

}  // namespace stegolab
