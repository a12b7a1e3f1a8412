#include "trainer/trial_execution.hpp"

#include <torch/torch.h>

#include "device/device_name.hpp"
#include "device/trial_utilisation.hpp"
#include "gallery/gallery_writer.hpp"
#include "trainer/peak_memory.hpp"

namespace stegolab {

namespace {

// A declared metric of the task that can select the best checkpoint.
const MetricDeclaration& best_metric_declaration(const TrialSpec& trial) {
  for (const MetricDeclaration& metric : trial.task_metrics) {
    if (metric.name == trial.train.best_metric && !metric.better.empty()) return metric;
  }
  std::string names;
  for (const MetricDeclaration& metric : trial.task_metrics) {
    if (!metric.better.empty()) names += (names.empty() ? "" : ", ") + metric.name;
  }
  throw TrialFailure("train.best_metric '" + trial.train.best_metric +
                     "' is not a validation metric of task '" + trial.task.plugin +
                     "' (one of: " + (names.empty() ? "none" : names) + ")");
}

}  // namespace

TrialExecution::TrialExecution(ComponentFactory& factory, TrialCheckpointer* checkpointer,
                               const TrainerOptions& options, const TrialSpec& trial,
                               const TrialRun& run, EpochSink& sink)
    : factory_(factory),
      checkpointer_(checkpointer),
      options_(options),
      trial_(trial),
      run_(run),
      sink_(sink),
      progress_(*options.out, options.live_progress && ProgressLine::is_terminal(*options.out),
                "[" + (trial.key.empty() ? trial.experiment : trial.key) + "]"),
      task_name_("task '" + trial.task.plugin + "'") {
  if (options.data_parallel != nullptr) {
    parallel_ = std::make_unique<DataParallelTrial>(*options.data_parallel);
  }
}

bool TrialExecution::stop_requested() {
  if (!parallel_) return interrupted();
  return parallel_->any_rank(interrupted());
}

std::string TrialExecution::position() const {
  return std::string(in_evaluation_ ? "evaluation" : "training") + " batch " +
         std::to_string(in_evaluation_ ? eval_batch_ : train_batch_) + " (epoch " +
         std::to_string(epoch_ + 1) + ")";
}

void TrialExecution::build() {
  const torch::Device device = parse_device(trial_.train.device, "train.device");
  components_ = build_trial_components(factory_, trial_, device);
}

void TrialExecution::check_settings() const {
  if (trial_.train.epochs < 1) throw TrialFailure("train.epochs must be at least 1");
  if (trial_.train.batch_size < 1) {
    throw TrialFailure(trial_.train.batch_size_auto
                           ? "train.batch_size \"auto\" must be resolved before training "
                             "(the run driver's batch-size finder)"
                           : "train.batch_size must be at least 1");
  }
  if (trial_.eval.batch_size < 1) throw TrialFailure("eval.batch_size must be at least 1");
  if (trial_.eval.every < 1) throw TrialFailure("eval.every must be at least 1");
}

void TrialExecution::plan() {
  check_settings();
  higher_is_better_ = best_metric_declaration(trial_).better == "higher";
  loss_ceiling_ = LossCeiling(trial_.train.explode_factor);

  splits_ = make_trial_splits(*components_.source, trial_.split, trial_.seed);
  batch_size_ = trial_.train.batch_size;
  rank_batch_ = parallel_ ? parallel_->rank_batch(batch_size_) : batch_size_;
  accumulation_ = std::max<int64_t>(1, components_.strategy->accumulation());
  const int64_t per_step = batch_size_ * accumulation_;
  steps_per_epoch_ = trial_.train.steps_per_epoch > 0
                         ? trial_.train.steps_per_epoch
                         : std::max<int64_t>(1, splits_.train.size(0) / per_step);
  if (per_step > splits_.train.size(0)) note_repeated_images(per_step);
  const int64_t total_steps = steps_per_epoch_ * trial_.train.epochs;
  components_.strategy->setup(make_strategy_setup(trial_, components_, total_steps));
  if (run_.resume_from) resume();
  if (parallel_) {
    prime_leader();
    parallel_->attach(components_);
  }
  good_state_.capture(components_.modules, *components_.strategy);
}

void TrialExecution::note_repeated_images(int64_t per_step) {
  const std::string note = "train.batch_size " + std::to_string(batch_size_) + " x accumulation " +
                           std::to_string(accumulation_) + " = " + std::to_string(per_step) +
                           " samples per step from " + std::to_string(splits_.train.size(0)) +
                           " training images: every step repeats images";
  sink_.on_event(0, "batch_exceeds_split", note);
  progress_.message(note);
}

void TrialExecution::resume() {
  if (checkpointer_ == nullptr) {
    throw TrialFailure("cannot resume from " + run_.resume_from->string() +
                       ": this trainer has no checkpoint support");
  }
  CheckpointRecord record;
  try {
    record = checkpointer_->load(*run_.resume_from, components_.modules, *components_.strategy,
                                 components_.device);
  } catch (const Error& error) {
    throw UnusableCheckpoint("its checkpoint cannot be resumed from: " + first_line(error.what()));
  }
  start_epoch_ = record.epoch + 1;
  epochs_completed_ = start_epoch_;
  restore_trainer_state(record.trainer_state);
  if (record.metrics.contains("best/value") && record.metrics["best/value"].is_number()) {
    best_value_ = record.metrics["best/value"].get<double>();
    best_epoch_ = record.metrics.value("best/epoch", int64_t{-1});
  }
  sink_.on_event(record.epoch, "resume",
                 "resumed from " + run_.resume_from->string() + " after epoch " +
                     std::to_string(record.epoch + 1));
}

void TrialExecution::on_divergence(int64_t epoch, const std::string& reason) {
  if (restores_ >= trial_.train.max_restores) {
    throw TrialFailure("diverged in epoch " + std::to_string(epoch + 1) + ": " + reason +
                       "; gave up after " + std::to_string(restores_) +
                       " restore(s) (train.max_restores)");
  }
  good_state_.restore(components_.modules, *components_.strategy, components_.device);
  components_.strategy->scale_learning_rate(trial_.train.restore_lr_factor);
  ++restores_;
  consecutive_bad_ = 0;
  // The next restore returns here, with the lowered learning rate kept.
  good_state_.capture(components_.modules, *components_.strategy);
  const std::string message = reason +
                              "; restored the last good state and scaled the "
                              "learning rate by " +
                              std::to_string(trial_.train.restore_lr_factor) + " (restore " +
                              std::to_string(restores_) + " of " +
                              std::to_string(trial_.train.max_restores) + ")";
  sink_.on_event(epoch, "divergence_restore", message);
  progress_.message("epoch " + std::to_string(epoch + 1) + ": " + message);
}

TrialOutcome TrialExecution::stopped(const std::string& why) {
  progress_.finish();
  TrialOutcome outcome;
  outcome.status = TrialStatus::interrupted;
  outcome.error = why;
  outcome.epochs_completed = epochs_completed_;
  outcome.throughput = throughput();
  return outcome;
}

std::vector<GalleryImage> TrialExecution::write_trial_gallery() {
  const bool test = splits_.test.size(0) > 0;
  const torch::Tensor& indices = test ? splits_.test : splits_.val;
  if (trial_.eval.gallery <= 0 || run_.checkpoint_dir.empty() || indices.size(0) == 0) return {};
  GalleryRequest request;
  request.indices = indices;
  request.split = test ? Split::test : Split::val;
  request.count = trial_.eval.gallery;
  request.batch_size = trial_.eval.batch_size;
  request.folder = run_.checkpoint_dir / "gallery" / split_name(request.split);
  set_training_mode(components_.modules, false);
  try {
    return write_gallery(*components_.task, task_name_, components_.source, components_.device,
                         precision_scope(*components_.strategy), request);
  } catch (const std::exception& error) {
    // The trial's numbers stand without its pictures.
    const std::string message = "no gallery: " + first_line(error.what());
    sink_.on_event(trial_.train.epochs - 1, "gallery_failed", message);
    progress_.message(message);
    return {};
  }
}

void TrialExecution::add_after_training_measures(std::vector<MetricRow>& final_metrics) {
  const int64_t last = trial_.train.epochs - 1;
  set_training_mode(components_.modules, false);
  const TrialData data{components_.source, splits_.train,         splits_.val,     splits_.test,
                       components_.device, trial_.eval.batch_size, trial_.seed};
  try {
    const auto measures = components_.task->after_training(
        data, [this](const std::string& line) { progress_.message(line); });
    for (const auto& [name, value] : measures) {
      final_metrics.push_back({last, Split::test, name, value});
    }
  } catch (const std::exception& error) {
    // The trial's numbers stand without these.
    const std::string message = "no after-training measures: " + first_line(error.what());
    sink_.on_event(last, "after_training_failed", message);
    progress_.message(message);
  }
}

TrialOutcome TrialExecution::execute() {
  build();
  reset_peak_memory(components_.device);
  TrialUtilisation::process().begin(components_.device, *options_.out);
  plan();
  epochs_completed_ = start_epoch_;
  const int64_t epochs = trial_.train.epochs;
  for (int64_t epoch = start_epoch_; epoch < epochs; ++epoch) {
    epoch_ = epoch;
    std::vector<MetricRow> rows;
    if (!train_epoch(epoch, rows))
      return stopped("interrupted in epoch " + std::to_string(epoch + 1));
    NamedValues val;
    const bool validate = (epoch + 1) % trial_.eval.every == 0 || epoch + 1 == epochs;
    if (validate && splits_.val.size(0) > 0) {
      val = evaluate(splits_.val, RandomPhase::validation, epoch);
      for (const auto& [name, value] : val) rows.push_back({epoch, Split::val, name, value});
    }
    // Rows first: a process killed between the two resumes from the
    // previous checkpoint and records this epoch again, identically in
    // deterministic mode. The other order would leave a checkpoint ahead
    // of the rows, from which a resume would leave a hole in the curves.
    sink_.on_epoch(epoch, rows);
    const std::string unsaved = save_checkpoints(epoch, val);
    if (!unsaved.empty()) return stopped(unsaved);
    epochs_completed_ = epoch + 1;
    std::ostringstream summary;
    summary << "epoch " << epoch + 1 << "/" << epochs << " loss " << rows.front().value;
    for (const auto& [name, value] : val) {
      if (name == trial_.train.best_metric) summary << " val " << name << " " << value;
    }
    progress_.message(summary.str());
  }
  if (stop_requested()) return stopped("interrupted before the test evaluation");
  progress_.finish();
  TrialOutcome outcome;
  if (splits_.test.size(0) > 0) {
    // The test split is measured once, with the final weights.
    for (const auto& [name, value] : evaluate(splits_.test, RandomPhase::test, epochs - 1)) {
      outcome.final_metrics.push_back({epochs - 1, Split::test, name, value});
    }
  }
  add_after_training_measures(outcome.final_metrics);
  outcome.gallery = write_trial_gallery();
  outcome.epochs_completed = epochs_completed_;
  outcome.throughput = throughput();
  return outcome;
}

}  // namespace stegolab
