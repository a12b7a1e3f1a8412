// One trial's run inside the trainer: build, plan, epochs of training and
// validation, the test evaluation, checkpoints and throughput. Private to
// the trainer module; Trainer::run() owns one per trial.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "data/batch_pipeline.hpp"
#include "data/dataset_splits.hpp"
#include "data/joined_sources.hpp"
#include "trainer/data_parallel_trial.hpp"
#include "trainer/loss_ceiling.hpp"
#include "trainer/progress_line.hpp"
#include "trainer/random_streams.hpp"
#include "trainer/state_snapshot.hpp"
#include "trainer/term_sums.hpp"
#include "trainer/trainer.hpp"
#include "trainer/trial_components.hpp"

namespace stegolab {

using NamedValues = std::vector<std::pair<std::string, double>>;

// A trial-level failure whose message is already user-facing.
class TrialFailure : public Error {
 public:
  using Error::Error;
};

// The checkpoint to resume from cannot be loaded into the built components.
class UnusableCheckpoint : public TrialFailure {
 public:
  using TrialFailure::TrialFailure;
};

// What one epoch's optimiser steps added up to.
struct EpochTally {
  double loss_sum = 0.0;
  TermSums terms;
  int64_t applied = 0, nonfinite = 0, exploded = 0, overflows = 0;
  int64_t samples = 0;  // what the steps received
  double last_lr = NAN;
};

class TrialExecution {
 public:
  TrialExecution(ComponentFactory& factory, TrialCheckpointer* checkpointer,
                 const TrainerOptions& options, const TrialSpec& trial, const TrialRun& run,
                 EpochSink& sink);

  TrialOutcome execute();
  // Where the trial was when an error escaped, for the failure message.
  std::string position() const;
  void finish_progress() { progress_.finish(); }
  int64_t epochs_completed() const { return epochs_completed_; }

 private:
  using Clock = std::chrono::steady_clock;

  void build();
  void check_settings() const;
  void plan();
  // Says (an event and a line) that a step is larger than the training split.
  void note_repeated_images(int64_t per_step);
  void resume();
  bool interrupted() const {
    return options_.interrupt != nullptr && options_.interrupt->load(std::memory_order_relaxed);
  }
  // interrupted() on any rank: all ranks stop at the same step.
  bool stop_requested();
  // Rank 0 of a data-parallel trial that starts afresh: the trial's first
  // global batch forward once (see trial_training.cpp).
  void prime_leader();
  // false: interrupted.
  bool train_epoch(int64_t epoch, std::vector<MetricRow>& rows);
  // The step's loss (on the host).
  double train_step(int64_t epoch, int64_t step, BatchPipeline& pipeline, EpochTally& tally);
  void count_step(int64_t epoch, const StepReport& report, EpochTally& tally);
  void record_epoch(int64_t epoch, const EpochTally& tally, double seconds, double wait,
                    std::vector<MetricRow>& rows) const;
  void on_divergence(int64_t epoch, const std::string& reason);
  // `phase` and `epoch` choose its random streams (random_streams.hpp).
  NamedValues evaluate(const torch::Tensor& indices, RandomPhase phase, int64_t epoch);
  // The first test (else validation) samples' pictures, eval.gallery of them.
  std::vector<GalleryImage> write_trial_gallery();
  // The task's after_training() measures, as final rows of split test.
  void add_after_training_measures(std::vector<MetricRow>& final_metrics);
  // Why the checkpoints could not be written (a full disk, ...); "" when
  // they were. The trial then stops as interrupted: it can resume later.
  std::string save_checkpoints(int64_t epoch, const NamedValues& val);
  nlohmann::json checkpoint_components() const;
  // What a checkpoint keeps of the trainer itself, so that a resumed trial
  // continues exactly as an uninterrupted one: the divergence guard.
  nlohmann::json trainer_state() const;
  void restore_trainer_state(const nlohmann::json& state);
  Throughput throughput() const;
  TrialOutcome stopped(const std::string& why);

  ComponentFactory& factory_;
  TrialCheckpointer* checkpointer_;
  const TrainerOptions& options_;
  const TrialSpec& trial_;
  const TrialRun& run_;
  EpochSink& sink_;
  ProgressLine progress_;
  std::string task_name_;  // "task 'steganography'", for messages

  TrialComponents components_;
  DatasetSplits splits_;
  int64_t batch_size_ = 1;                       // the global batch
  int64_t rank_batch_ = 1;                       // this rank's part of it
  std::unique_ptr<DataParallelTrial> parallel_;  // a data-parallel rank's part
  int64_t accumulation_ = 1;
  int64_t steps_per_epoch_ = 1;
  int64_t start_epoch_ = 0;
  bool higher_is_better_ = true;

  StateSnapshot good_state_;
  LossCeiling loss_ceiling_;
  int64_t consecutive_bad_ = 0;
  int64_t restores_ = 0;
  int64_t nonfinite_total_ = 0;
  int64_t exploded_total_ = 0;
  int64_t overflow_total_ = 0;
  std::optional<double> best_value_;
  int64_t best_epoch_ = -1;

  // Position, for messages.
  int64_t epoch_ = 0;
  int64_t train_batch_ = 0;
  int64_t eval_batch_ = 0;
  bool in_evaluation_ = false;
  int64_t epochs_completed_ = 0;

  // Throughput accounting.
  int64_t train_images_ = 0;
  int64_t largest_step_ = 0;  // samples of the largest optimiser step
  int64_t train_steps_ = 0;
  double train_seconds_ = 0.0;
  double data_wait_seconds_ = 0.0;
  int64_t eval_images_ = 0;
  double eval_seconds_ = 0.0;
};

}  // namespace stegolab
