// The training half of a trial: one epoch of optimiser steps, the divergence
// guard's bookkeeping and the epoch's training rows.
#include <algorithm>
#include <cmath>
#include <optional>
#include <utility>

#include <torch/torch.h>

#include "trainer/trial_execution.hpp"

namespace stegolab {

namespace {

double seconds_since(std::chrono::steady_clock::time_point begin) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
}

}  // namespace

// Data-dependent initialisation (ActNorm sets itself from the first batch it
// sees in training mode) must see what a single process's first step sees,
// not each rank's share of it: rank 0 runs the trial's first global batch
// forward once, without gradients, before its state is broadcast to the
// other ranks. A resumed trial is initialised already. Each epoch restarts
// the random streams, so this pass changes no later draw.
void TrialExecution::prime_leader() {
  if (!parallel_->leads() || run_.resume_from) return;
  restart_random_streams(trial_.seed, RandomPhase::training, start_epoch_, *components_.source);
  const TensorMap samples = components_.task->training_samples(
      splits_.train, trial_.seed, start_epoch_, steps_per_epoch_ * accumulation_ * batch_size_);
  TensorMap first;
  for (const auto& [name, list] : samples.entries()) {
    first.set(name, list.narrow(0, 0, std::min(batch_size_, list.size(0))));
  }
  BatchPipeline pipeline(components_.source, components_.device, /*augment=*/true, std::move(first),
                         batch_size_, /*drop_last=*/true);
  std::optional<TensorMap> batch = pipeline.next();
  if (!batch) return;
  TrainingProgress progress;
  progress.epoch = start_epoch_;
  progress.epochs = trial_.train.epochs;
  progress.fraction = static_cast<double>(start_epoch_) / static_cast<double>(trial_.train.epochs);
  const LossFunction loss = training_loss(*components_.task, task_name_, progress);
  set_training_mode(components_.modules, true);
  components_.strategy->evaluate([&] { loss(*batch); });
}

void TrialExecution::count_step(int64_t epoch, const StepReport& report, EpochTally& tally) {
  // fp16 loss-scale overflows are the scaler finding its level, not a
  // diverging model: skipped, counted, but not held against the trial.
  const bool bad = (report.nonfinite && !report.scaler_overflow) || report.exploded;
  if (report.scaler_overflow) {
    ++tally.overflows;
    ++overflow_total_;
  } else if (report.nonfinite) {
    ++tally.nonfinite;
    ++nonfinite_total_;
  }
  if (report.exploded) {
    ++tally.exploded;
    ++exploded_total_;
  }
  if (bad) {
    if (++consecutive_bad_ >= trial_.train.max_nonfinite_steps) {
      on_divergence(epoch,
                    std::to_string(consecutive_bad_) +
                        " consecutive non-finite or exploded steps (train.max_nonfinite_steps)");
    }
  } else if (report.applied) {
    consecutive_bad_ = 0;
    ++tally.applied;
    tally.loss_sum += report.loss_value;
    loss_ceiling_.add(report.loss_value);
    for (const auto& [name, value] : report.terms) tally.terms.add(name, value);
  }
}

double TrialExecution::train_step(int64_t epoch, int64_t step, BatchPipeline& pipeline,
                                  EpochTally& tally) {
  std::vector<MicroBatch> micro;
  micro.reserve(static_cast<std::size_t>(accumulation_));
  int64_t samples = 0;
  for (int64_t i = 0; i < accumulation_; ++i) {
    ++train_batch_;
    std::optional<TensorMap> batch = pipeline.next();
    if (!batch || batch->empty()) {
      throw TrialFailure(task_name_ + ": training_samples() returned fewer samples than " +
                         std::to_string(steps_per_epoch_) + " steps of " +
                         std::to_string(batch_size_ * accumulation_) + " need");
    }
    // Counted for all ranks: each has an equal share.
    samples += batch->entries().front().second.size(0) * (parallel_ ? parallel_->world() : 1);
    micro.push_back(std::move(*batch));
  }
  const int64_t epochs = trial_.train.epochs;
  TrainingProgress progress;
  progress.epoch = epoch;
  progress.epochs = epochs;
  progress.fraction = static_cast<double>(epoch * steps_per_epoch_ + step) /
                      static_cast<double>(epochs * steps_per_epoch_);
  StepLimits limits;
  limits.loss_ceiling = loss_ceiling_.ceiling();
  LossFunction loss = training_loss(*components_.task, task_name_, progress);
  if (parallel_) loss = parallel_->synchronised(std::move(loss), accumulation_);
  const StepReport report = components_.strategy->step(micro, loss, limits);
  tally.last_lr = report.learning_rate;
  // Counted, not planned: the record says what the steps really received.
  train_images_ += samples;
  tally.samples += samples;
  largest_step_ = std::max(largest_step_, samples);
  ++train_steps_;
  count_step(epoch, report, tally);
  return report.loss_value;
}

bool TrialExecution::train_epoch(int64_t epoch, std::vector<MetricRow>& rows) {
  set_training_mode(components_.modules, true);
  TensorMap samples = epoch_training_samples(components_, trial_, splits_.train, epoch,
                                             steps_per_epoch_ * accumulation_ * batch_size_);
  if (parallel_) samples = parallel_->training_share(samples, batch_size_);
  BatchPipeline pipeline(components_.source, components_.device, /*augment=*/true,
                         std::move(samples), rank_batch_, /*drop_last=*/true);
  EpochTally tally;
  const auto epoch_begin = Clock::now();
  const int64_t epochs = trial_.train.epochs;
  for (int64_t step = 0; step < steps_per_epoch_; ++step) {
    if (stop_requested()) return false;
    const double loss = train_step(epoch, step, pipeline, tally);
    if (progress_.due()) {
      const double elapsed = seconds_since(epoch_begin);
      const double rate = static_cast<double>((step + 1) * batch_size_ * accumulation_) / elapsed;
      const double steps_left = static_cast<double>((epochs - epoch) * steps_per_epoch_ - step - 1);
      progress_.update(epoch, epochs, step + 1, steps_per_epoch_, loss, rate,
                       steps_left * elapsed / static_cast<double>(step + 1));
    }
  }
  const double epoch_seconds = seconds_since(epoch_begin);
  const double epoch_wait = pipeline.wait_seconds();
  train_seconds_ += epoch_seconds;
  data_wait_seconds_ += epoch_wait;
  record_epoch(epoch, tally, epoch_seconds, epoch_wait, rows);
  rows.push_back({epoch, Split::train, "data_images_per_s", pipeline.load_rate()});

  const double mean_loss = rows.front().value;
  if (!std::isfinite(mean_loss)) {
    on_divergence(epoch, tally.applied == 0 ? "no finite optimiser step in the epoch"
                                            : "the epoch's mean loss is not finite");
  } else if (consecutive_bad_ == 0) {
    good_state_.capture(components_.modules, *components_.strategy);
  }
  return true;
}

void TrialExecution::record_epoch(int64_t epoch, const EpochTally& tally, double seconds,
                                  double wait, std::vector<MetricRow>& rows) const {
  // One host transfer for the epoch's term means.
  const std::vector<double> term_sums = tally.terms.host_values();
  const double divisor = tally.applied > 0 ? static_cast<double>(tally.applied) : NAN;
  rows.push_back({epoch, Split::train, "loss", tally.loss_sum / divisor});
  for (std::size_t i = 0; i < term_sums.size(); ++i) {
    rows.push_back(
        {epoch, Split::train, "loss/" + tally.terms.sums()[i].first, term_sums[i] / divisor});
  }
  const auto steps = static_cast<double>(steps_per_epoch_);
  rows.push_back({epoch, Split::train, "lr", tally.last_lr});
  rows.push_back(
      {epoch, Split::train, "images_per_s", static_cast<double>(tally.samples) / seconds});
  rows.push_back({epoch, Split::train, "step_time_ms", 1000.0 * (seconds - wait) / steps});
  rows.push_back({epoch, Split::train, "data_wait_ms", 1000.0 * wait / steps});
  rows.push_back({epoch, Split::train, "nonfinite_steps", static_cast<double>(tally.nonfinite)});
  rows.push_back({epoch, Split::train, "exploded_steps", static_cast<double>(tally.exploded)});
  rows.push_back({epoch, Split::train, "overflow_steps", static_cast<double>(tally.overflows)});
}

}  // namespace stegolab
