// The evaluation half of a trial: the task's evaluation passes, the best and
// last checkpoints, and the trial's throughput summary.
#include <cmath>

#include <torch/torch.h>

#include "data/sample_side.hpp"
#include "device/trial_utilisation.hpp"
#include "trainer/peak_memory.hpp"
#include "trainer/trial_execution.hpp"

namespace stegolab {

NamedValues TrialExecution::evaluate(const torch::Tensor& indices, RandomPhase phase,
                                     int64_t epoch) {
  in_evaluation_ = true;
  eval_batch_ = 0;
  set_training_mode(components_.modules, false);
  restart_random_streams(trial_.seed, phase, epoch, *components_.source);
  const auto begin = Clock::now();
  TensorMap samples = components_.task->evaluation_samples_of(
      phase == RandomPhase::test ? "test" : "val", indices);
  if (parallel_) samples = parallel_->evaluation_share(samples);
  BatchPipeline pipeline(components_.source, components_.device, /*augment=*/false,
                         std::move(samples), trial_.eval.batch_size, /*drop_last=*/false);
  std::unique_ptr<Evaluation> evaluation = components_.task->start_evaluation();
  const PrecisionScope scope = precision_scope(*components_.strategy);
  while (std::optional<TensorMap> batch = pipeline.next()) {
    ++eval_batch_;
    evaluation->add(*batch, scope);
  }
  NamedValues means = evaluation->means();
  int64_t samples_evaluated = evaluation->samples();
  if (parallel_) means = parallel_->mean_over_ranks(means, samples_evaluated, samples_evaluated);
  const double seconds = std::chrono::duration<double>(Clock::now() - begin).count();
  eval_seconds_ += seconds;
  eval_images_ += samples_evaluated;
  means.emplace_back("images_per_s", static_cast<double>(samples_evaluated) / seconds);
  set_training_mode(components_.modules, true);
  in_evaluation_ = false;
  return means;
}

nlohmann::json TrialExecution::checkpoint_components() const {
  nlohmann::json components = {
      {"task", {{"plugin", trial_.task.plugin}, {"params", trial_.task.params}}}};
  for (const std::string& section : components_.task->checkpoint_sections()) {
    const auto found = trial_.sections.find(section);
    if (found == trial_.sections.end() || found->second.plugin.empty()) continue;
    components[section] = {{"plugin", found->second.plugin}, {"params", found->second.params}};
  }
  return components;
}

std::string TrialExecution::save_checkpoints(int64_t epoch, const NamedValues& val) {
  std::optional<double> current;
  for (const auto& [name, value] : val) {
    if (name == trial_.train.best_metric) current = value;
  }
  const bool improved =
      current && std::isfinite(*current) &&
      (!best_value_ || (higher_is_better_ ? *current > *best_value_ : *current < *best_value_));
  if (improved) {
    best_value_ = current;
    best_epoch_ = epoch;
  }
  if (checkpointer_ == nullptr || run_.checkpoint_dir.empty()) return "";

  nlohmann::json metrics = nlohmann::json::object();
  for (const auto& [name, value] : val) metrics[name] = value;
  metrics["best/metric"] = trial_.train.best_metric;
  if (best_value_) {
    metrics["best/value"] = *best_value_;
    metrics["best/epoch"] = best_epoch_;
  }
  const nlohmann::json components = checkpoint_components();
  const ImageSource& source = *components_.source;
  const CheckpointRecord record{epoch, metrics, trainer_state()};
  try {
    // best/ first: when last/ cannot be written after it, the trial
    // resumes from the older last/ and trains this epoch again.
    if (improved) {
      checkpointer_->save(run_.checkpoint_dir / "best", components_.modules, *components_.strategy,
                          components, training_sample_side(source), source.channels(), record);
    }
    checkpointer_->save(run_.checkpoint_dir / "last", components_.modules, *components_.strategy,
                        components, training_sample_side(source), source.channels(), record);
  } catch (const Error& error) {
    return first_line(error.what());
  }
  if (improved) {
    sink_.on_event(epoch, "checkpoint_best",
                   trial_.train.best_metric + " " + std::to_string(*current));
  }
  return "";
}

nlohmann::json TrialExecution::trainer_state() const {
  // The throughput sums too: a trial's figures then span the work every
  // attempt kept, not just the last attempt's (none at all for one resumed
  // at its test evaluation).
  return {{"loss_window", loss_ceiling_.recent()},
          {"consecutive_bad_steps", consecutive_bad_},
          {"restores", restores_},
          {"nonfinite_steps", nonfinite_total_},
          {"exploded_steps", exploded_total_},
          {"overflow_steps", overflow_total_},
          {"train_images", train_images_},
          {"train_steps", train_steps_},
          {"largest_step", largest_step_},
          {"train_seconds", train_seconds_},
          {"data_wait_seconds", data_wait_seconds_},
          {"eval_images", eval_images_},
          {"eval_seconds", eval_seconds_}};
}

void TrialExecution::restore_trainer_state(const nlohmann::json& state) {
  // Checkpoints written before the state was kept resume with a fresh guard.
  if (!state.is_object()) return;
  try {
    loss_ceiling_.set_recent(state.value("loss_window", std::vector<double>{}));
    consecutive_bad_ = state.value("consecutive_bad_steps", int64_t{0});
    restores_ = state.value("restores", int64_t{0});
    nonfinite_total_ = state.value("nonfinite_steps", int64_t{0});
    exploded_total_ = state.value("exploded_steps", int64_t{0});
    overflow_total_ = state.value("overflow_steps", int64_t{0});
    train_images_ = state.value("train_images", int64_t{0});
    train_steps_ = state.value("train_steps", int64_t{0});
    largest_step_ = state.value("largest_step", int64_t{0});
    train_seconds_ = state.value("train_seconds", 0.0);
    data_wait_seconds_ = state.value("data_wait_seconds", 0.0);
    eval_images_ = state.value("eval_images", int64_t{0});
    eval_seconds_ = state.value("eval_seconds", 0.0);
  } catch (const nlohmann::json::exception& error) {
    throw TrialFailure("cannot resume from " + run_.resume_from->string() +
                       ": its trainer_state is damaged (" + error.what() + ")");
  }
}

Throughput TrialExecution::throughput() const {
  Throughput t;
  if (train_steps_ > 0 && train_seconds_ > 0) {
    t.train_images_per_s = static_cast<double>(train_images_) / train_seconds_;
    t.step_time_ms =
        1000.0 * (train_seconds_ - data_wait_seconds_) / static_cast<double>(train_steps_);
    t.data_wait_ms = 1000.0 * data_wait_seconds_ / static_cast<double>(train_steps_);
  }
  if (eval_images_ > 0 && eval_seconds_ > 0) {
    t.eval_images_per_s = static_cast<double>(eval_images_) / eval_seconds_;
  }
  t.peak_memory_mb = peak_memory_mb(components_.device);
  // What a step received; the plan before any step ran.
  t.effective_batch = largest_step_ > 0 ? largest_step_ : batch_size_ * accumulation_;
  // A step larger than the split repeats images: the batch is not that many
  // different images, and a reader of the record needs both numbers.
  if (splits_.train.defined()) t.extra["train_split_size"] = splits_.train.size(0);
  if (components_.task && components_.source) {
    const int64_t size = training_sample_side(*components_.source);
    t.extra["flops_per_image"] = components_.task->inference_flops(size, size);
    t.extra["parameters"] = parameter_count(components_.modules);
    // The task's training FLOPs per second of step time: the figure to set
    // against a measured peak (docs/gpu.md).
    if (std::isfinite(t.step_time_ms) && t.step_time_ms > 0) {
      t.extra["achieved_gflops_per_s"] = components_.task->training_flops(size, size) *
                                         static_cast<double>(t.effective_batch) /
                                         (t.step_time_ms / 1000.0) / 1e9;
    }
  }
  for (const auto& [key, value] : TrialUtilisation::process().end().items()) t.extra[key] = value;
  t.extra["device"] = components_.device.str();
  if (components_.strategy) t.extra["precision"] = components_.strategy->precision();
  t.extra["nonfinite_steps"] = nonfinite_total_;
  t.extra["exploded_steps"] = exploded_total_;
  t.extra["overflow_steps"] = overflow_total_;
  t.extra["divergence_restores"] = restores_;
  if (best_value_) {
    t.extra["best_metric"] = trial_.train.best_metric;
    t.extra["best_value"] = *best_value_;
    t.extra["best_epoch"] = best_epoch_;
  }
  return t;
}

}  // namespace stegolab
