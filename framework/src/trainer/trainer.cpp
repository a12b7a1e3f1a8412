#include "trainer/trainer.hpp"

#include <chrono>
#include <cmath>
#include <sstream>
#include <utility>

#include <c10/util/Exception.h>
#include <torch/torch.h>

#include "data/batch_pipeline.hpp"
#include "data/dataset_splits.hpp"
#include "data/image_pairs.hpp"
#include "device/trial_utilisation.hpp"
#include "metrics/metric_accumulator.hpp"
#include "metrics/metric_convention.hpp"
#include "stegolab/errors.hpp"
#include "stegolab/pixel_scale.hpp"
#include "trainer/loss_ceiling.hpp"
#include "trainer/peak_memory.hpp"
#include "trainer/progress_line.hpp"
#include "trainer/trial_components.hpp"

namespace stegolab {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point begin) {
  return std::chrono::duration<double>(Clock::now() - begin).count();
}

// A trial-level failure whose message is already user-facing.
class TrialFailure : public Error {
 public:
  using Error::Error;
};

// Model and strategy state kept in memory, to return to after divergence.
class StateSnapshot {
 public:
  void capture(StegoModel& model, const Strategy& strategy) {
    torch::serialize::OutputArchive model_archive;
    model.save(model_archive);
    std::ostringstream model_bytes;
    model_archive.save_to(model_bytes);
    torch::serialize::OutputArchive strategy_archive;
    strategy.save(strategy_archive);
    std::ostringstream strategy_bytes;
    strategy_archive.save_to(strategy_bytes);
    model_ = model_bytes.str();
    strategy_ = strategy_bytes.str();
  }

  void restore(StegoModel& model, Strategy& strategy, torch::Device device) const {
    std::istringstream model_bytes(model_);
    torch::serialize::InputArchive model_archive;
    model_archive.load_from(model_bytes, device);
    model.load(model_archive);
    std::istringstream strategy_bytes(strategy_);
    torch::serialize::InputArchive strategy_archive;
    strategy_archive.load_from(strategy_bytes, device);
    strategy.load(strategy_archive);
  }

 private:
  std::string model_;
  std::string strategy_;
};

// Device-side running sums of named 0-dim tensors (loss terms).
class TermSums {
 public:
  void add(const std::string& name, const torch::Tensor& value) {
    const torch::Tensor v = value.detach().to(torch::kDouble);
    for (auto& [key, sum] : sums_) {
      if (key == name) {
        sum = sum + v;
        return;
      }
    }
    sums_.emplace_back(name, v);
  }
  const std::vector<std::pair<std::string, torch::Tensor>>& sums() const { return sums_; }

 private:
  std::vector<std::pair<std::string, torch::Tensor>> sums_;
};

torch::Device resolve_device(const std::string& name) {
  if (name == "auto") return torch::cuda::is_available() ? torch::kCUDA : torch::kCPU;
  if (name == "cpu") return torch::kCPU;
  if (name == "cuda" || name.rfind("cuda:", 0) == 0) {
    if (!torch::cuda::is_available()) {
      throw TrialFailure("train.device is '" + name + "' but no CUDA device is available");
    }
    return torch::Device(name);
  }
  throw TrialFailure("train.device '" + name + "' is not one of auto, cpu, cuda");
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

class TrialExecution {
 public:
  TrialExecution(ComponentFactory& factory, TrialCheckpointer* checkpointer,
                 const TrainerOptions& options, const TrialSpec& trial, const TrialRun& run,
                 EpochSink& sink)
      : factory_(factory),
        checkpointer_(checkpointer),
        options_(options),
        trial_(trial),
        run_(run),
        sink_(sink),
        progress_(*options.out, options.live_progress && ProgressLine::is_terminal(*options.out),
                  "[" + (trial.key.empty() ? trial.experiment : trial.key) + "]") {}

  TrialOutcome execute();

  // Where the trial was when an error escaped, for the failure message.
  std::string position() const {
    return std::string(in_evaluation_ ? "evaluation" : "training") + " batch " +
           std::to_string(in_evaluation_ ? eval_batch_ : train_batch_) + " (epoch " +
           std::to_string(epoch_) + ")";
  }
  void finish_progress() { progress_.finish(); }
  int64_t epochs_completed() const { return epochs_completed_; }

 private:
  void build();
  void plan();
  bool interrupted() const {
    return options_.interrupt != nullptr && options_.interrupt->load(std::memory_order_relaxed);
  }
  // false: interrupted.
  bool train_epoch(int64_t epoch, std::vector<MetricRow>& rows);
  void on_divergence(int64_t epoch, const std::string& reason);
  std::vector<std::pair<std::string, double>> evaluate(const torch::Tensor& indices);
  void save_checkpoints(int64_t epoch, const std::vector<std::pair<std::string, double>>& val);
  Throughput throughput() const;

  ComponentFactory& factory_;
  TrialCheckpointer* checkpointer_;
  const TrainerOptions& options_;
  const TrialSpec& trial_;
  const TrialRun& run_;
  EpochSink& sink_;
  ProgressLine progress_;

  torch::Device device_ = torch::kCPU;
  std::shared_ptr<ImageSource> source_;
  std::shared_ptr<Transform> transform_;
  std::shared_ptr<StegoModel> model_;
  std::shared_ptr<Loss> loss_;
  std::shared_ptr<Strategy> strategy_;
  DatasetSplits splits_;
  int64_t batch_size_ = 1;
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
  int64_t train_steps_ = 0;
  double train_seconds_ = 0.0;
  double data_wait_seconds_ = 0.0;
  int64_t eval_images_ = 0;
  double eval_seconds_ = 0.0;
};

void TrialExecution::build() {
  device_ = resolve_device(trial_.train.device);
  TrialComponents components = build_trial_components(factory_, trial_, device_);
  source_ = std::move(components.source);
  transform_ = std::move(components.transform);
  model_ = std::move(components.model);
  loss_ = std::move(components.loss);
  strategy_ = std::move(components.strategy);
}

void TrialExecution::plan() {
  if (trial_.train.epochs < 1) throw TrialFailure("train.epochs must be at least 1");
  if (trial_.train.batch_size < 1) {
    throw TrialFailure(trial_.train.batch_size_auto
                           ? "train.batch_size \"auto\" must be resolved before training "
                             "(the run driver's batch-size finder)"
                           : "train.batch_size must be at least 1");
  }
  if (trial_.eval.batch_size < 1) throw TrialFailure("eval.batch_size must be at least 1");
  if (trial_.eval.every < 1) throw TrialFailure("eval.every must be at least 1");
  const auto convention = find_metric_convention(trial_.train.best_metric);
  const std::string& best = trial_.train.best_metric;
  const bool evaluation_metric =
      best.rfind("hide_", 0) == 0 || best.rfind("rec_", 0) == 0 || best.rfind("ber", 0) == 0;
  if (!convention || !evaluation_metric) {
    throw TrialFailure("train.best_metric '" + trial_.train.best_metric +
                       "' is not a validation metric (e.g. rec_psnr, hide_ssim, ber)");
  }
  higher_is_better_ = convention->better == "higher";
  loss_ceiling_ = LossCeiling(trial_.train.explode_factor);

  splits_ = make_dataset_splits(source_->size(), trial_.split, trial_.seed);
  batch_size_ = trial_.train.batch_size;
  accumulation_ = std::max<int64_t>(1, strategy_->accumulation());
  const int64_t per_step = batch_size_ * accumulation_;
  steps_per_epoch_ = trial_.train.steps_per_epoch > 0
                         ? trial_.train.steps_per_epoch
                         : std::max<int64_t>(1, splits_.train.size(0) / per_step);
  const int64_t total_steps = steps_per_epoch_ * trial_.train.epochs;

  TrialComponents components;
  components.device = device_;
  components.model = model_;
  strategy_->setup(make_strategy_setup(trial_, components, total_steps));

  if (run_.resume_from) {
    if (checkpointer_ == nullptr) {
      throw TrialFailure("cannot resume from " + run_.resume_from->string() +
                         ": this trainer has no checkpoint support");
    }
    const CheckpointRecord record =
        checkpointer_->load(*run_.resume_from, *model_, *strategy_, device_);
    start_epoch_ = record.epoch + 1;
    epochs_completed_ = start_epoch_;
    if (record.metrics.contains("best/value") && record.metrics["best/value"].is_number()) {
      best_value_ = record.metrics["best/value"].get<double>();
      best_epoch_ = record.metrics.value("best/epoch", int64_t{-1});
    }
    sink_.on_event(record.epoch, "resume",
                   "resumed from " + run_.resume_from->string() + " after epoch " +
                       std::to_string(record.epoch));
  }
  good_state_.capture(*model_, *strategy_);
}

void TrialExecution::on_divergence(int64_t epoch, const std::string& reason) {
  if (restores_ >= trial_.train.max_restores) {
    throw TrialFailure("diverged in epoch " + std::to_string(epoch) + ": " + reason +
                       "; gave up after " + std::to_string(restores_) +
                       " restore(s) (train.max_restores)");
  }
  good_state_.restore(*model_, *strategy_, device_);
  strategy_->scale_learning_rate(trial_.train.restore_lr_factor);
  ++restores_;
  consecutive_bad_ = 0;
  // The next restore returns here, with the lowered learning rate kept.
  good_state_.capture(*model_, *strategy_);
  const std::string message = reason +
                              "; restored the last good state and scaled the "
                              "learning rate by " +
                              std::to_string(trial_.train.restore_lr_factor) + " (restore " +
                              std::to_string(restores_) + " of " +
                              std::to_string(trial_.train.max_restores) + ")";
  sink_.on_event(epoch, "divergence_restore", message);
  progress_.message("epoch " + std::to_string(epoch + 1) + ": " + message);
}

bool TrialExecution::train_epoch(int64_t epoch, std::vector<MetricRow>& rows) {
  model_->train();
  const int64_t epochs = trial_.train.epochs;
  const int64_t micro_batches = steps_per_epoch_ * accumulation_;
  BatchPipeline pipeline(
      source_, device_, /*augment=*/true,
      epoch_pairs(splits_.train, trial_.seed, epoch, micro_batches * batch_size_), batch_size_,
      /*drop_last=*/true);

  double loss_sum = 0.0;
  TermSums term_sums;
  int64_t applied = 0;
  int64_t nonfinite = 0;
  int64_t exploded = 0;
  int64_t overflows = 0;
  double last_lr = NAN;
  const auto epoch_begin = Clock::now();

  for (int64_t step = 0; step < steps_per_epoch_; ++step) {
    if (interrupted()) return false;
    std::vector<MicroBatch> micro;
    micro.reserve(static_cast<std::size_t>(accumulation_));
    for (int64_t i = 0; i < accumulation_; ++i) {
      ++train_batch_;
      std::optional<ImageBatch> batch = pipeline.next();
      micro.push_back({batch->cover, batch->secret});
    }
    TrainingProgress progress;
    progress.epoch = epoch;
    progress.epochs = epochs;
    progress.fraction = static_cast<double>(epoch * steps_per_epoch_ + step) /
                        static_cast<double>(epochs * steps_per_epoch_);
    const LossFunction closure = training_loss(*model_, *loss_, progress);
    StepLimits limits;
    limits.loss_ceiling = loss_ceiling_.ceiling();
    const StepReport report = strategy_->step(micro, closure, limits);
    last_lr = report.learning_rate;
    train_images_ += batch_size_ * accumulation_;
    ++train_steps_;

    // fp16 loss-scale overflows are the scaler finding its level, not a
    // diverging model: skipped, counted, but not held against the trial.
    const bool bad = (report.nonfinite && !report.scaler_overflow) || report.exploded;
    if (report.scaler_overflow) {
      ++overflows;
      ++overflow_total_;
    } else if (report.nonfinite) {
      ++nonfinite;
      ++nonfinite_total_;
    }
    if (report.exploded) {
      ++exploded;
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
      ++applied;
      loss_sum += report.loss_value;
      loss_ceiling_.add(report.loss_value);
      for (const auto& [name, value] : report.terms) term_sums.add(name, value);
    }

    if (progress_.due()) {
      const double elapsed = seconds_since(epoch_begin);
      const double rate = static_cast<double>((step + 1) * batch_size_ * accumulation_) / elapsed;
      const double steps_left = static_cast<double>((epochs - epoch) * steps_per_epoch_ - step - 1);
      progress_.update(epoch, epochs, step + 1, steps_per_epoch_, report.loss_value, rate,
                       steps_left * elapsed / static_cast<double>(step + 1));
    }
  }

  // One host transfer for the epoch's term means.
  std::vector<double> term_means;
  if (!term_sums.sums().empty()) {
    std::vector<torch::Tensor> sums;
    for (const auto& [name, sum] : term_sums.sums()) sums.push_back(sum);
    const torch::Tensor host = torch::stack(sums).cpu();
    for (int64_t i = 0; i < host.size(0); ++i) term_means.push_back(host[i].item<double>());
  }
  const double epoch_seconds = seconds_since(epoch_begin);
  const double epoch_wait = pipeline.wait_seconds();
  train_seconds_ += epoch_seconds;
  data_wait_seconds_ += epoch_wait;

  const double divisor = applied > 0 ? static_cast<double>(applied) : NAN;
  const double mean_loss = loss_sum / divisor;
  rows.push_back({epoch, "train", "loss", mean_loss});
  for (std::size_t i = 0; i < term_means.size(); ++i) {
    rows.push_back({epoch, "train", "loss/" + term_sums.sums()[i].first, term_means[i] / divisor});
  }
  const auto steps = static_cast<double>(steps_per_epoch_);
  rows.push_back({epoch, "train", "lr", last_lr});
  rows.push_back({epoch, "train", "images_per_s",
                  steps * static_cast<double>(batch_size_ * accumulation_) / epoch_seconds});
  rows.push_back({epoch, "train", "step_time_ms", 1000.0 * (epoch_seconds - epoch_wait) / steps});
  rows.push_back({epoch, "train", "data_wait_ms", 1000.0 * epoch_wait / steps});
  rows.push_back({epoch, "train", "nonfinite_steps", static_cast<double>(nonfinite)});
  rows.push_back({epoch, "train", "exploded_steps", static_cast<double>(exploded)});
  rows.push_back({epoch, "train", "overflow_steps", static_cast<double>(overflows)});

  if (!std::isfinite(mean_loss)) {
    on_divergence(epoch, applied == 0 ? "no finite optimiser step in the epoch"
                                      : "the epoch's mean loss is not finite");
  } else if (consecutive_bad_ == 0) {
    good_state_.capture(*model_, *strategy_);
  }
  return true;
}

std::vector<std::pair<std::string, double>> TrialExecution::evaluate(const torch::Tensor& indices) {
  in_evaluation_ = true;
  eval_batch_ = 0;
  model_->eval();
  const auto begin = Clock::now();
  BatchPipeline pipeline(source_, device_, /*augment=*/false, fixed_pairs(indices),
                         trial_.eval.batch_size, /*drop_last=*/false);
  MetricAccumulator metrics;
  const bool float_path = !trial_.eval.quantize_stego;
  while (std::optional<ImageBatch> batch = pipeline.next()) {
    ++eval_batch_;
    torch::Tensor stego;
    torch::Tensor quantized;
    torch::Tensor recovered;
    torch::Tensor recovered_float;
    // The model runs under the strategy's precision; the metrics run after,
    // outside it, in fp32.
    strategy_->evaluate([&] {
      torch::NoGradGuard no_grad;
      stego = model_->embed(batch->cover, batch->secret).stego.to(torch::kFloat);
      quantized = quantize_to_8bit(stego);
      recovered = model_->extract(quantized).to(torch::kFloat);
      if (float_path) recovered_float = model_->extract(stego).to(torch::kFloat);
    });
    torch::NoGradGuard no_grad;
    metrics.add(batch->cover, batch->secret, quantized, recovered, /*quantize=*/true);
    if (float_path) {
      metrics.add(batch->cover, batch->secret, stego, recovered_float, /*quantize=*/false,
                  "_float");
    }
  }
  std::vector<std::pair<std::string, double>> means = metrics.means();
  const double seconds = seconds_since(begin);
  eval_seconds_ += seconds;
  eval_images_ += metrics.images();
  means.emplace_back("images_per_s", static_cast<double>(metrics.images()) / seconds);
  // The secret is a whole image the size of the cover: 8 bits per channel per pixel.
  means.emplace_back("payload_bpp", 8.0 * static_cast<double>(source_->channels()));
  model_->train();
  in_evaluation_ = false;
  return means;
}

void TrialExecution::save_checkpoints(int64_t epoch,
                                      const std::vector<std::pair<std::string, double>>& val) {
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
  if (checkpointer_ == nullptr || run_.checkpoint_dir.empty()) return;

  nlohmann::json metrics = nlohmann::json::object();
  for (const auto& [name, value] : val) metrics[name] = value;
  metrics["best/metric"] = trial_.train.best_metric;
  if (best_value_) {
    metrics["best/value"] = *best_value_;
    metrics["best/epoch"] = best_epoch_;
  }
  const nlohmann::json components = {
      {"transform", {{"plugin", trial_.transform.plugin}, {"params", trial_.transform.params}}},
      {"model", {{"plugin", trial_.model.plugin}, {"params", trial_.model.params}}}};
  checkpointer_->save(run_.checkpoint_dir / "last", *model_, *strategy_, components,
                      source_->image_size(), source_->channels(), epoch, metrics);
  if (improved) {
    checkpointer_->save(run_.checkpoint_dir / "best", *model_, *strategy_, components,
                        source_->image_size(), source_->channels(), epoch, metrics);
    sink_.on_event(epoch, "checkpoint_best",
                   trial_.train.best_metric + " " + std::to_string(*current));
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
  t.peak_memory_mb = peak_memory_mb(device_);
  t.effective_batch = batch_size_ * accumulation_;
  if (model_ && source_) {
    const double flops = model_->flops_per_image(source_->image_size(), source_->image_size());
    t.extra["flops_per_image"] = flops;
    // Model FLOPs (a training step counts 3x embed+extract) per second of
    // step time: the figure to set against a measured peak (docs/gpu.md).
    if (std::isfinite(t.step_time_ms) && t.step_time_ms > 0) {
      t.extra["achieved_gflops_per_s"] =
          3.0 * flops * static_cast<double>(t.effective_batch) / (t.step_time_ms / 1000.0) / 1e9;
    }
  }
  for (const auto& [key, value] : TrialUtilisation::process().end().items()) t.extra[key] = value;
  t.extra["device"] = device_.str();
  if (strategy_) t.extra["precision"] = strategy_->precision();
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

TrialOutcome TrialExecution::execute() {
  TrialOutcome outcome;
  build();
  reset_peak_memory(device_);
  TrialUtilisation::process().begin(device_, *options_.out);
  plan();
  epochs_completed_ = start_epoch_;
  const int64_t epochs = trial_.train.epochs;
  for (int64_t epoch = start_epoch_; epoch < epochs; ++epoch) {
    epoch_ = epoch;
    std::vector<MetricRow> rows;
    if (!train_epoch(epoch, rows)) {
      progress_.finish();
      outcome.status = "interrupted";
      outcome.error = "interrupted in epoch " + std::to_string(epoch);
      outcome.epochs_completed = epochs_completed_;
      outcome.throughput = throughput();
      return outcome;
    }
    std::vector<std::pair<std::string, double>> val;
    const bool validate = (epoch + 1) % trial_.eval.every == 0 || epoch + 1 == epochs;
    if (validate && splits_.val.size(0) > 0) {
      val = evaluate(splits_.val);
      for (const auto& [name, value] : val) rows.push_back({epoch, "val", name, value});
    }
    save_checkpoints(epoch, val);
    sink_.on_epoch(epoch, rows);
    epochs_completed_ = epoch + 1;
    std::ostringstream summary;
    summary << "epoch " << epoch + 1 << "/" << epochs << " loss " << rows.front().value;
    for (const auto& [name, value] : val) {
      if (name == trial_.train.best_metric) summary << " val " << name << " " << value;
    }
    progress_.message(summary.str());
  }
  progress_.finish();
  if (interrupted()) {
    outcome.status = "interrupted";
    outcome.error = "interrupted before the test evaluation";
  } else if (splits_.test.size(0) > 0) {
    // The test split is measured once, with the final weights.
    for (const auto& [name, value] : evaluate(splits_.test)) {
      outcome.final_metrics.push_back({epochs - 1, "test", name, value});
    }
  }
  outcome.epochs_completed = epochs_completed_;
  outcome.throughput = throughput();
  return outcome;
}

}  // namespace

Trainer::Trainer(std::shared_ptr<ComponentFactory> factory, TrainerOptions options)
    : factory_(std::move(factory)), options_(options) {
  if (!factory_) throw Error("Trainer needs a component factory");
  if (options_.out == nullptr) options_.out = &std::cerr;
}

TrialOutcome Trainer::run(const TrialSpec& trial, const TrialRun& run, EpochSink& sink) {
  TrialExecution execution(*factory_, checkpointer_.get(), options_, trial, run, sink);
  TrialOutcome failed;
  failed.status = "failed";
  try {
    return execution.execute();
  } catch (const c10::OutOfMemoryError&) {
    failed.error = "out of memory at " + execution.position();
  } catch (const std::bad_alloc&) {
    failed.error = "out of memory at " + execution.position();
  } catch (const c10::Error& error) {
    failed.error =
        first_line(error.what_without_backtrace()) + " (at " + execution.position() + ")";
  } catch (const std::exception& error) {
    failed.error = first_line(error.what());
  }
  execution.finish_progress();
  failed.epochs_completed = execution.epochs_completed();
  return failed;
}

}  // namespace stegolab
