// The trainer with tiny in-process components (the registry only loads shared
// libraries, so the trainer takes an injectable ComponentFactory).
#include <atomic>
#include <cmath>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <c10/util/Exception.h>
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "support/build_locations.hpp"
#include "plugin_host/plugin_registry.hpp"
#include "stegolab/errors.hpp"
#include "trainer/progress_line.hpp"
#include "trainer/registry_component_factory.hpp"
#include "trainer/trainer.hpp"

// The steganography task's sources: the trainer is tested driving the real task.
#include "../plugins/tasks/steganography/attack_channel.cpp"
#include "../plugins/tasks/steganography/training_curriculum.cpp"
#include "../plugins/tasks/steganography/image_pairs.cpp"
#include "../plugins/tasks/steganography/pairs_file.cpp"
#include "../plugins/tasks/steganography/metric_declarations.cpp"
#include "../plugins/tasks/steganography/secret_images.cpp"
#include "../plugins/tasks/steganography/steganography_evaluation.cpp"
#include "../plugins/tasks/steganography/steganography_gallery.cpp"
#include "../plugins/tasks/steganography/steganography_metrics.cpp"
#include "../plugins/tasks/steganography/steganography_task.cpp"
#include "../plugins/tasks/steganography/steganalysis/detection_scores.cpp"
#include "../plugins/tasks/steganography/steganalysis/sample_pair_analysis.cpp"
#include "../plugins/tasks/steganography/steganalysis/xunet.cpp"
#include "../plugins/tasks/steganography/steganalysis/steganalyser_training.cpp"
#include "../plugins/tasks/steganography/steganalysis/stego_image_sets.cpp"
#include "../plugins/tasks/steganography/steganalysis/steganalysis.cpp"
#include "../plugins/tasks/steganography/steganalysis/trial_steganalysis.cpp"

namespace stegolab {
namespace {

// What the fakes share with a test: NaN and interrupt triggers, and records.
struct Control {
  std::function<bool(int64_t)> nan_at = [](int64_t) { return false; };  // by loss call
  std::function<bool(int64_t)> explode_at = [](int64_t) {
    return false;
  };  // loss x 1e6, by loss call
  std::function<bool(int64_t)> overflow_at = [](int64_t) { return false; };  // by step
  int64_t steps = 0;
  int64_t loss_calls = 0;
  std::atomic<bool>* interrupt = nullptr;
  int64_t interrupt_at_call = -1;
  int64_t oom_at_training_load = -1;  // 0-based count of augmented loads
  int64_t accumulation = 1;

  std::mutex mutex;
  std::vector<std::pair<std::vector<int64_t>, bool>> loads;  // indices, augment
  std::vector<double> lr_scales;
  std::vector<double> weight_at_restore;
  std::vector<double> weight_before_step;
  std::vector<uint64_t> augmentation_seeds;
};

std::vector<int64_t> to_vector(const torch::Tensor& t) {
  const torch::Tensor c = t.to(torch::kLong).contiguous();
  return {c.data_ptr<int64_t>(), c.data_ptr<int64_t>() + c.numel()};
}

class FakeSource : public ImageSource {
 public:
  explicit FakeSource(Control& control) : control_(control) {}
  int64_t size() const override { return 20; }
  ImageExtent extent(int64_t) const override { return {16, 16}; }
  ImageExtent sample_extent(bool) const override { return {16, 16}; }
  void seed_augmentations(uint64_t seed) override { control_.augmentation_seeds.push_back(seed); }
  torch::Tensor load(const torch::Tensor& indices, torch::Device device, bool augment) override {
    int64_t training_loads = 0;
    {
      std::lock_guard<std::mutex> lock(control_.mutex);
      control_.loads.emplace_back(to_vector(indices), augment);
      for (const auto& load : control_.loads) training_loads += load.second ? 1 : 0;
    }
    if (augment && training_loads - 1 == control_.oom_at_training_load) {
      TORCH_CHECK_WITH(OutOfMemoryError, false, "allocator: out of memory (test)");
    }
    // A different, deterministic pattern per image.
    const auto i = indices.view({-1, 1, 1, 1});
    const auto h = torch::arange(16).view({1, 16, 1, 1});
    const auto w = torch::arange(16).view({1, 1, 16, 1});
    const auto c = torch::arange(3).view({1, 1, 1, 3});
    return (i * 37 + h * 5 + w * 3 + c * 11).remainder(256).to(torch::kByte).to(device);
  }

 private:
  Control& control_;
};

// stego = cover + 0.1 w secret; extraction is the identity. One parameter.
class FakeModel : public StegoModel {
 public:
  FakeModel() { weight = register_parameter("w", torch::full({1}, 0.5)); }
  Embedding embed(const torch::Tensor& cover, const torch::Tensor& secret) override {
    return {cover + 0.1 * weight * secret, torch::zeros_like(secret)};
  }
  torch::Tensor extract(const torch::Tensor& stego) override { return stego * 1.0; }
  double flops_per_image(int64_t height, int64_t width) const override {
    return 6.0 * static_cast<double>(height * width);
  }
  torch::Tensor weight;
};

class FakeLoss : public Loss {
 public:
  explicit FakeLoss(Control& control) : control_(control) {}
  LossValue compute(const LossInput& input) override {
    const int64_t call = control_.loss_calls++;
    if (control_.interrupt != nullptr && call == control_.interrupt_at_call) {
      control_.interrupt->store(true);
    }
    const TensorMap& t = input.tensors;
    const torch::Tensor hide = (t.at("stego") - t.at("cover")).square().mean();
    const torch::Tensor rec = (t.at("recovered") - t.at("secret")).square().mean();
    torch::Tensor total = hide + rec;
    if (control_.nan_at(call)) total = total * std::nan("");
    if (control_.explode_at(call)) total = total * 1e6;
    return {total, {{"hide", hide.detach()}, {"rec", rec.detach()}}};
  }

 private:
  Control& control_;
};

// Plain SGD; skips a step whose loss is not finite.
class FakeStrategy : public Strategy {
 public:
  explicit FakeStrategy(Control& control) : control_(control) {}
  void setup(const StrategySetup& setup) override {
    parameters_ = setup.parameters;
    lr_ = setup.optimizer.lr;
  }
  int64_t accumulation() const override { return control_.accumulation; }
  StepReport step(const std::vector<MicroBatch>& micro_batches, const LossFunction& loss,
                  const StepLimits& limits) override {
    control_.weight_before_step.push_back(parameters_[0].item<double>());
    for (auto& p : parameters_) p.mutable_grad() = torch::Tensor();
    torch::Tensor sum = torch::zeros({});
    std::vector<std::pair<std::string, torch::Tensor>> terms;
    for (const auto& batch : micro_batches) {
      LossValue value = loss(batch);
      (value.total / static_cast<double>(micro_batches.size())).backward();
      sum = sum + value.total.detach();
      terms = value.terms;
    }
    StepReport report;
    report.loss = sum / static_cast<double>(micro_batches.size());
    report.terms = terms;
    report.learning_rate = lr_ * scale_;
    report.loss_value = report.loss.item<double>();
    const bool finite = std::isfinite(report.loss_value);
    // Like an fp16 loss scaler: a finite loss whose scaled gradients overflowed.
    report.scaler_overflow = finite && control_.overflow_at(control_.steps++);
    report.nonfinite = !finite || report.scaler_overflow;
    report.exploded = !report.nonfinite && report.loss_value > limits.loss_ceiling;
    if (!report.nonfinite && !report.exploded) {
      torch::NoGradGuard no_grad;
      for (auto& p : parameters_) p.sub_(report.learning_rate * p.grad());
      report.applied = true;
    }
    return report;
  }
  void evaluate(const std::function<void()>& fn) override {
    torch::NoGradGuard no_grad;
    fn();
  }
  void scale_learning_rate(double factor) override {
    scale_ *= factor;
    control_.lr_scales.push_back(factor);
  }
  std::string precision() const override { return "fp32"; }
  void save(torch::serialize::OutputArchive& archive) const override {
    archive.write("scale", torch::tensor(scale_, torch::kDouble));
  }
  void load(torch::serialize::InputArchive& archive) override {
    torch::Tensor scale;
    archive.read("scale", scale);
    scale_ = scale.item<double>();
    // The trainer restores the model before the strategy: record what it restored.
    control_.weight_at_restore.push_back(parameters_[0].item<double>());
  }

 private:
  Control& control_;
  std::vector<torch::Tensor> parameters_;
  double lr_ = 0.0;
  double scale_ = 1.0;
};

class FakeFactory : public ComponentFactory {
 public:
  explicit FakeFactory(Control& control) : control_(control) {}
  std::shared_ptr<ImageSource> make_source(const ComponentSpec&, const BuildContext&) override {
    return std::make_shared<FakeSource>(control_);
  }
  // The real steganography task, over the fakes below.
  std::shared_ptr<Task> make_task(const ComponentSpec&, const BuildContext&) override {
    return std::make_shared<steganography::SteganographyTask>(steganography::TaskSettings{});
  }
  std::shared_ptr<void> make_section(const std::string& kind, const ComponentSpec&,
                                     const BuildContext& context) override {
    if (kind == "model") {
      EXPECT_EQ(context.image_size, 16);
      EXPECT_EQ(context.channels, 3);
      model = std::make_shared<FakeModel>();
      return std::static_pointer_cast<void>(std::shared_ptr<StegoModel>(model));
    }
    EXPECT_EQ(kind, "loss");
    return std::static_pointer_cast<void>(
        std::shared_ptr<Loss>(std::make_shared<FakeLoss>(control_)));
  }
  std::shared_ptr<Strategy> make_strategy(const ComponentSpec&, const BuildContext&) override {
    return std::make_shared<FakeStrategy>(control_);
  }
  std::shared_ptr<FakeModel> model;

 private:
  Control& control_;
};

class RecordingSink : public EpochSink {
 public:
  void on_epoch(int64_t epoch, const std::vector<MetricRow>& rows) override {
    epochs.push_back(epoch);
    this->rows[epoch] = rows;
  }
  void on_event(int64_t epoch, const std::string& kind, const std::string& message) override {
    events.push_back({epoch, kind, message});
  }
  const MetricRow* find(int64_t epoch, Split split, const std::string& metric) const {
    for (const auto& row : rows.at(epoch)) {
      if (row.split == split && row.metric == metric) return &row;
    }
    return nullptr;
  }
  struct Event {
    int64_t epoch;
    std::string kind;
    std::string message;
  };
  std::vector<int64_t> epochs;
  std::map<int64_t, std::vector<MetricRow>> rows;
  std::vector<Event> events;
};

// Saves in memory, per folder.
class MemoryCheckpointer : public TrialCheckpointer {
 public:
  void save(const std::filesystem::path& dir, const std::vector<NamedModule>& modules,
            const Strategy& strategy, const nlohmann::json& components, int64_t image_size, int64_t,
            const CheckpointRecord& record) override {
    Saved saved;
    torch::serialize::OutputArchive model_archive;
    modules.at(0).second->save(model_archive);
    std::ostringstream model_bytes;
    model_archive.save_to(model_bytes);
    saved.model = model_bytes.str();
    torch::serialize::OutputArchive strategy_archive;
    strategy.save(strategy_archive);
    std::ostringstream strategy_bytes;
    strategy_archive.save_to(strategy_bytes);
    saved.strategy = strategy_bytes.str();
    saved.record = record;
    saved.components = components;
    saved.image_size = image_size;
    store[dir.string()] = saved;
    history.emplace_back(dir.filename().string(), record.epoch);
  }
  CheckpointRecord load(const std::filesystem::path& dir, const std::vector<NamedModule>& modules,
                        Strategy& strategy, torch::Device device) override {
    const Saved& saved = store.at(dir.string());
    std::istringstream model_bytes(saved.model);
    torch::serialize::InputArchive model_archive;
    model_archive.load_from(model_bytes, device);
    modules.at(0).second->load(model_archive);
    std::istringstream strategy_bytes(saved.strategy);
    torch::serialize::InputArchive strategy_archive;
    strategy_archive.load_from(strategy_bytes, device);
    strategy.load(strategy_archive);
    return saved.record;
  }
  struct Saved {
    std::string model, strategy;
    CheckpointRecord record;
    nlohmann::json components;
    int64_t image_size = 0;
  };
  std::map<std::string, Saved> store;
  std::vector<std::pair<std::string, int64_t>> history;
};

TrialSpec tiny_trial() {
  TrialSpec trial;
  trial.experiment = "unit";
  trial.key = "unit#r0";
  trial.seed = 5;
  trial.split = {0.6, 0.2, 0.2};  // of 20 images: 12 train, 4 val, 4 test
  trial.task = {"steganography", nlohmann::json::object()};
  trial.task_metrics = steganography::metric_declarations();
  trial.sections["model"] = {"fake_model", nlohmann::json::object()};
  trial.sections["loss"] = {"fake_loss", nlohmann::json::object()};
  trial.train.epochs = 3;
  trial.train.batch_size = 2;
  trial.train.device = "cpu";
  trial.train.optimizer.lr = 0.1;
  trial.train.max_nonfinite_steps = 2;
  trial.train.max_restores = 2;
  trial.train.restore_lr_factor = 0.5;
  trial.train.best_metric = "rec_psnr";
  trial.eval.batch_size = 4;
  return trial;
}

TrainerOptions quiet_options(std::ostream& out) {
  TrainerOptions options;
  options.out = &out;
  options.live_progress = false;
  return options;
}

TEST(Trainer, RunsEveryEpochAndReportsTrainingAndValidationRows) {
  Control control;
  std::ostringstream out;
  Trainer trainer(std::make_shared<FakeFactory>(control), quiet_options(out));
  RecordingSink sink;
  const TrialOutcome outcome = trainer.run(tiny_trial(), {}, sink);
  ASSERT_EQ(outcome.status, TrialStatus::done) << outcome.error;
  EXPECT_EQ(outcome.epochs_completed, 3);
  EXPECT_EQ(sink.epochs, (std::vector<int64_t>{0, 1, 2}));
  // 12 training images / batch 2 = 6 steps per epoch, one loss call each.
  EXPECT_EQ(control.loss_calls, 18);
  for (int64_t epoch = 0; epoch < 3; ++epoch) {
    for (const char* metric :
         {"loss", "loss/hide", "loss/rec", "lr", "images_per_s", "step_time_ms", "data_wait_ms",
          "data_images_per_s",
          "nonfinite_steps", "exploded_steps", "overflow_steps"}) {
      ASSERT_NE(sink.find(epoch, Split::train, metric), nullptr) << metric << " epoch " << epoch;
    }
    EXPECT_TRUE(std::isfinite(sink.find(epoch, Split::train, "loss")->value));
    // loss = hide + rec, each averaged over the same steps.
    EXPECT_NEAR(sink.find(epoch, Split::train, "loss")->value,
                sink.find(epoch, Split::train, "loss/hide")->value +
                    sink.find(epoch, Split::train, "loss/rec")->value,
                1e-6);
    EXPECT_DOUBLE_EQ(sink.find(epoch, Split::train, "lr")->value, 0.1);
    EXPECT_EQ(sink.find(epoch, Split::train, "nonfinite_steps")->value, 0.0);
    for (const char* metric :
         {"hide_psnr", "hide_psnr_y", "hide_ssim", "hide_mae", "hide_rmse", "rec_psnr",
          "rec_psnr_y", "rec_ssim", "rec_mae", "rec_rmse", "ber", "images_per_s", "payload_bpp"}) {
      ASSERT_NE(sink.find(epoch, Split::val, metric), nullptr) << metric;
    }
    EXPECT_GT(sink.find(epoch, Split::val, "images_per_s")->value, 0.0);
    EXPECT_EQ(sink.find(epoch, Split::val, "payload_bpp")->value, 24.0);  // RGB
    // Step time excludes the data waits; together they are the epoch's loop.
    const double per_step_ms = sink.find(epoch, Split::train, "step_time_ms")->value +
                               sink.find(epoch, Split::train, "data_wait_ms")->value;
    EXPECT_NEAR(per_step_ms,
                1000.0 * 12.0 / 6.0 / sink.find(epoch, Split::train, "images_per_s")->value,
                1e-6 * per_step_ms);
  }
  // The fake hides 0.1 w secret additively: hiding is imperfect, so PSNR is finite.
  EXPECT_LT(sink.find(2, Split::val, "hide_psnr")->value, 100.0);
  // 11 quality metrics, the literature's 6 (MATLAB Y-PSNR, MS-SSIM, APD of hiding and
  // recovery, issue 17), images_per_s, payload_bpp.
  ASSERT_EQ(outcome.final_metrics.size(), 19u);
  for (const auto& row : outcome.final_metrics) {
    EXPECT_EQ(row.split, Split::test);
    EXPECT_EQ(row.epoch, 2);
  }
  // Plain progress lines (not a terminal): one per epoch at least.
  EXPECT_NE(out.str().find("epoch 3/3"), std::string::npos);
}

TEST(Trainer, TrainsOnTheTrainingSplitOnlyAndNeverPairsAnImageWithItself) {
  Control control;
  std::ostringstream out;
  Trainer trainer(std::make_shared<FakeFactory>(control), quiet_options(out));
  RecordingSink sink;
  ASSERT_EQ(trainer.run(tiny_trial(), {}, sink).status, TrialStatus::done);
  std::set<int64_t> trained;
  std::set<int64_t> evaluated;
  std::vector<std::vector<int64_t>> epoch_covers(3);
  int64_t training_loads = 0;
  for (const auto& [indices, augment] : control.loads) {
    const std::size_t half = indices.size() / 2;  // covers, then their secrets
    for (std::size_t i = 0; i < half; ++i) {
      EXPECT_NE(indices[i], indices[half + i]) << "image paired with itself";
      (augment ? trained : evaluated).insert(indices[i]);
      if (augment) epoch_covers[training_loads / 6].push_back(indices[i]);
    }
    training_loads += augment ? 1 : 0;
  }
  EXPECT_EQ(training_loads, 18);
  EXPECT_EQ(trained.size(), 12u);
  EXPECT_EQ(evaluated.size(), 8u);  // 4 validation + 4 test images
  for (int64_t index : trained) EXPECT_EQ(evaluated.count(index), 0u) << index;
  // A fresh order every epoch, each a permutation of the 12 training images.
  EXPECT_NE(epoch_covers[0], epoch_covers[1]);
  EXPECT_EQ(std::set<int64_t>(epoch_covers[1].begin(), epoch_covers[1].end()).size(), 12u);

  // Same seed, same data order.
  Control again;
  Trainer second(std::make_shared<FakeFactory>(again), quiet_options(out));
  RecordingSink sink2;
  ASSERT_EQ(second.run(tiny_trial(), {}, sink2).status, TrialStatus::done);
  ASSERT_EQ(again.loads.size(), control.loads.size());
  for (std::size_t i = 0; i < again.loads.size(); ++i) {
    EXPECT_EQ(again.loads[i].first, control.loads[i].first);
  }
}

TEST(Trainer, DivergenceGuardRestoresTheLastGoodStateAndLowersTheLearningRate) {
  Control control;
  // Steps 3 and 4 of epoch 0 are non-finite: 2 consecutive = max_nonfinite_steps.
  control.nan_at = [](int64_t call) { return call == 3 || call == 4; };
  std::ostringstream out;
  Trainer trainer(std::make_shared<FakeFactory>(control), quiet_options(out));
  RecordingSink sink;
  const TrialOutcome outcome = trainer.run(tiny_trial(), {}, sink);
  ASSERT_EQ(outcome.status, TrialStatus::done) << outcome.error;
  ASSERT_EQ(sink.events.size(), 1u);  // without a checkpointer there are no checkpoint events
  EXPECT_EQ(sink.events[0].kind, "divergence_restore");
  EXPECT_EQ(sink.events[0].epoch, 0);
  EXPECT_EQ(control.lr_scales, (std::vector<double>{0.5}));
  // Epoch 0 has no good end yet: the state restored is the initial one (w = 0.5),
  // although steps 0-2 had moved w away from it.
  ASSERT_EQ(control.weight_at_restore.size(), 1u);
  EXPECT_DOUBLE_EQ(control.weight_at_restore[0], 0.5);
  EXPECT_NE(control.weight_before_step[3], 0.5);
  EXPECT_EQ(sink.find(0, Split::train, "nonfinite_steps")->value, 2.0);
  EXPECT_DOUBLE_EQ(sink.find(1, Split::train, "lr")->value, 0.05);  // 0.1 x 0.5
  EXPECT_EQ(outcome.throughput.extra.at("divergence_restores"), 1);
  EXPECT_EQ(outcome.throughput.extra.at("nonfinite_steps"), 2);
}

TEST(Trainer, ExplodingLossIsSkippedAndCountsTowardsTheGuard) {
  Control control;
  // Epoch 0 (calls 0-5) and the first steps of epoch 1 give the guard its 8
  // losses; calls 9 and 10 explode (x 1e6): 2 consecutive = max_nonfinite_steps.
  control.explode_at = [](int64_t call) { return call == 9 || call == 10; };
  std::ostringstream out;
  Trainer trainer(std::make_shared<FakeFactory>(control), quiet_options(out));
  RecordingSink sink;
  const TrialOutcome outcome = trainer.run(tiny_trial(), {}, sink);
  ASSERT_EQ(outcome.status, TrialStatus::done) << outcome.error;
  // The exploded step did not move the weight.
  EXPECT_DOUBLE_EQ(control.weight_before_step[10], control.weight_before_step[9]);
  EXPECT_EQ(sink.find(1, Split::train, "exploded_steps")->value, 2.0);
  EXPECT_EQ(sink.find(1, Split::train, "nonfinite_steps")->value, 0.0);
  EXPECT_EQ(sink.find(0, Split::train, "exploded_steps")->value, 0.0);
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_EQ(sink.events[0].kind, "divergence_restore");
  EXPECT_EQ(sink.events[0].epoch, 1);
  EXPECT_EQ(control.lr_scales, (std::vector<double>{0.5}));
  EXPECT_EQ(outcome.throughput.extra.at("exploded_steps"), 2);
  // The epoch's mean loss is over applied steps only, so it stays small.
  EXPECT_LT(sink.find(1, Split::train, "loss")->value, 10.0);
}

TEST(Trainer, ExplodeFactorZeroTurnsTheCheckOff) {
  Control control;
  control.explode_at = [](int64_t call) { return call == 9 || call == 10; };
  TrialSpec trial = tiny_trial();
  trial.train.explode_factor = 0.0;
  std::ostringstream out;
  Trainer trainer(std::make_shared<FakeFactory>(control), quiet_options(out));
  RecordingSink sink;
  ASSERT_EQ(trainer.run(trial, {}, sink).status, TrialStatus::done);
  EXPECT_EQ(sink.find(1, Split::train, "exploded_steps")->value, 0.0);
  EXPECT_TRUE(sink.events.empty());
  EXPECT_NE(control.weight_before_step[10], control.weight_before_step[9]);
}

TEST(Trainer, LossScaleOverflowsAreCountedButNotHeldAgainstTheTrial) {
  Control control;
  // Three consecutive overflow-skipped steps, more than max_nonfinite_steps (2).
  control.overflow_at = [](int64_t step) { return step >= 2 && step <= 4; };
  std::ostringstream out;
  Trainer trainer(std::make_shared<FakeFactory>(control), quiet_options(out));
  RecordingSink sink;
  const TrialOutcome outcome = trainer.run(tiny_trial(), {}, sink);
  ASSERT_EQ(outcome.status, TrialStatus::done) << outcome.error;
  EXPECT_TRUE(sink.events.empty());
  EXPECT_TRUE(control.lr_scales.empty());
  EXPECT_EQ(sink.find(0, Split::train, "overflow_steps")->value, 3.0);
  EXPECT_EQ(sink.find(0, Split::train, "nonfinite_steps")->value, 0.0);
  EXPECT_EQ(outcome.throughput.extra.at("overflow_steps"), 3);
}

TEST(Trainer, FailsAfterMaxRestores) {
  Control control;
  control.nan_at = [](int64_t) { return true; };
  std::ostringstream out;
  Trainer trainer(std::make_shared<FakeFactory>(control), quiet_options(out));
  RecordingSink sink;
  const TrialOutcome outcome = trainer.run(tiny_trial(), {}, sink);
  EXPECT_EQ(outcome.status, TrialStatus::failed);
  EXPECT_NE(outcome.error.find("diverged"), std::string::npos) << outcome.error;
  EXPECT_NE(outcome.error.find("max_restores"), std::string::npos) << outcome.error;
  // Two restores (max_restores = 2), each after 2 non-finite steps, then 2 more fail it.
  EXPECT_EQ(control.lr_scales, (std::vector<double>{0.5, 0.5}));
  EXPECT_EQ(control.loss_calls, 6);
  EXPECT_TRUE(sink.epochs.empty());
  EXPECT_EQ(outcome.epochs_completed, 0);
}

TEST(Trainer, NonFiniteEpochLossAlsoTriggersARestore) {
  Control control;
  // Every step of epoch 1 is non-finite, but the step guard is set beyond the
  // epoch's 6 steps: the epoch's non-finite mean loss must trigger the restore.
  control.nan_at = [](int64_t call) { return call >= 6 && call < 12; };
  TrialSpec trial = tiny_trial();
  trial.train.max_nonfinite_steps = 100;
  std::ostringstream out;
  Trainer trainer(std::make_shared<FakeFactory>(control), quiet_options(out));
  RecordingSink sink;
  const TrialOutcome outcome = trainer.run(trial, {}, sink);
  ASSERT_EQ(outcome.status, TrialStatus::done) << outcome.error;
  EXPECT_TRUE(std::isnan(sink.find(1, Split::train, "loss")->value));  // recorded as NaN
  EXPECT_EQ(sink.find(1, Split::train, "nonfinite_steps")->value, 6.0);
  ASSERT_FALSE(sink.events.empty());
  EXPECT_EQ(sink.events[0].kind, "divergence_restore");
  EXPECT_EQ(sink.events[0].epoch, 1);
  EXPECT_EQ(control.lr_scales.size(), 1u);
  // Restored to the end of epoch 0: the weight the first step of epoch 1 started from.
  EXPECT_DOUBLE_EQ(control.weight_at_restore.at(0), control.weight_before_step.at(6));
}

TEST(Trainer, InterruptStopsBetweenStepsAndReportsOnlyWholeEpochs) {
  Control control;
  std::atomic<bool> interrupt{false};
  control.interrupt = &interrupt;
  control.interrupt_at_call = 8;  // epoch 1, step 2
  std::ostringstream out;
  TrainerOptions options = quiet_options(out);
  options.interrupt = &interrupt;
  Trainer trainer(std::make_shared<FakeFactory>(control), options);
  RecordingSink sink;
  const TrialOutcome outcome = trainer.run(tiny_trial(), {}, sink);
  EXPECT_EQ(outcome.status, TrialStatus::interrupted);
  EXPECT_EQ(sink.epochs, (std::vector<int64_t>{0}));
  EXPECT_EQ(outcome.epochs_completed, 1);
  EXPECT_EQ(control.loss_calls, 9);  // the flag is seen before the next step
  EXPECT_TRUE(outcome.final_metrics.empty());
}

TEST(Trainer, FillsTheThroughputFigures) {
  Control control;
  control.accumulation = 2;  // 12 images / (2 x 2) = 3 steps of 2 micro-batches
  std::ostringstream out;
  Trainer trainer(std::make_shared<FakeFactory>(control), quiet_options(out));
  RecordingSink sink;
  const TrialOutcome outcome = trainer.run(tiny_trial(), {}, sink);
  ASSERT_EQ(outcome.status, TrialStatus::done) << outcome.error;
  EXPECT_EQ(control.loss_calls, 3 * 3 * 2);
  const Throughput& t = outcome.throughput;
  EXPECT_EQ(t.effective_batch, 4);
  EXPECT_GT(t.train_images_per_s, 0.0);
  EXPECT_TRUE(std::isfinite(t.train_images_per_s));
  EXPECT_GT(t.eval_images_per_s, 0.0);
  EXPECT_GT(t.step_time_ms, 0.0);
  EXPECT_GE(t.data_wait_ms, 0.0);
  // Step time excludes the data waits; together they are the training wall
  // time per step: 4 images per step at train_images_per_s.
  EXPECT_NEAR(t.step_time_ms + t.data_wait_ms, 1000.0 * 4.0 / t.train_images_per_s,
              1e-6 * (t.step_time_ms + t.data_wait_ms));
  EXPECT_GT(t.peak_memory_mb, 1.0);  // a LibTorch process holds more than 1 MiB
  EXPECT_DOUBLE_EQ(t.extra.at("flops_per_image").get<double>(), 6.0 * 16 * 16);
  EXPECT_EQ(t.extra.at("device"), "cpu");
}

// A batch larger than the training split: the step gets the samples the
// task composed (each image several times), and the record says both how
// many samples that was and how many images they came from.
TEST(Trainer, RecordsTheSamplesAStepReceivedAndTheSplitTheyCameFrom) {
  Control control;
  TrialSpec trial = tiny_trial();
  trial.train.epochs = 1;
  trial.train.batch_size = 1000;  // 12 training images
  std::ostringstream out;
  Trainer trainer(std::make_shared<FakeFactory>(control), quiet_options(out));
  RecordingSink sink;
  const TrialOutcome outcome = trainer.run(trial, {}, sink);
  ASSERT_EQ(outcome.status, TrialStatus::done) << outcome.error;
  // The one step's micro-batch as the source loaded it: covers, then secrets.
  int64_t samples = 0;
  for (const auto& [indices, augment] : control.loads) {
    if (augment) samples += static_cast<int64_t>(indices.size()) / 2;
  }
  EXPECT_EQ(outcome.throughput.effective_batch, samples);
  EXPECT_EQ(outcome.throughput.extra.at("train_split_size"), 12);
  ASSERT_FALSE(sink.events.empty());
  EXPECT_EQ(sink.events[0].kind, "batch_exceeds_split");
  EXPECT_NE(sink.events[0].message.find("1000 samples per step from 12 training images"),
            std::string::npos)
      << sink.events[0].message;
  EXPECT_NE(out.str().find("every step repeats images"), std::string::npos) << out.str();
}

TEST(Trainer, WritesLastEveryEpochAndBestOnImprovementThenResumes) {
  Control control;
  std::ostringstream out;
  auto checkpointer = std::make_shared<MemoryCheckpointer>();
  TrialSpec first = tiny_trial();
  first.train.epochs = 2;
  auto factory = std::make_shared<FakeFactory>(control);
  Trainer trainer(factory, quiet_options(out));
  trainer.set_checkpointer(checkpointer);
  RecordingSink sink;
  TrialRun run{"runs/unit", std::nullopt};
  ASSERT_EQ(trainer.run(first, run, sink).status, TrialStatus::done);
  int64_t lasts = 0;
  int64_t bests = 0;
  for (const auto& [name, epoch] : checkpointer->history) {
    if (name == "last") EXPECT_EQ(epoch, lasts++);
    if (name == "best") ++bests;
  }
  EXPECT_EQ(lasts, 2);
  EXPECT_GE(bests, 1);  // the first validation is always an improvement
  const auto& last = checkpointer->store.at("runs/unit/last");
  // The task and its checkpoint sections that the trial has (no transform here).
  EXPECT_EQ(last.components.at("task").at("plugin"), "steganography");
  EXPECT_FALSE(last.components.contains("transform"));
  EXPECT_EQ(last.components.at("model").at("plugin"), "fake_model");
  EXPECT_EQ(last.image_size, 16);
  EXPECT_TRUE(last.record.metrics.contains("rec_psnr"));
  EXPECT_EQ(last.record.metrics.at("best/metric"), "rec_psnr");

  // Continue to 4 epochs from `last` (epoch 1): epochs 2 and 3 run.
  Control resumed_control;
  Trainer resumed(std::make_shared<FakeFactory>(resumed_control), quiet_options(out));
  resumed.set_checkpointer(checkpointer);
  TrialSpec longer = tiny_trial();
  longer.train.epochs = 4;
  RecordingSink resumed_sink;
  const TrialOutcome outcome = resumed.run(
      longer, TrialRun{"runs/unit", std::filesystem::path("runs/unit/last")}, resumed_sink);
  ASSERT_EQ(outcome.status, TrialStatus::done) << outcome.error;
  EXPECT_EQ(resumed_sink.epochs, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(outcome.epochs_completed, 4);
  EXPECT_EQ(resumed_control.loss_calls, 12);
  // The first resumed step starts from the weight the first run ended with
  // (saved in last/), not from the initial 0.5.
  const double final_weight = factory->model->weight.item<double>();
  EXPECT_NE(final_weight, 0.5);
  EXPECT_DOUBLE_EQ(resumed_control.weight_before_step.at(0), final_weight);
  EXPECT_EQ(resumed_sink.events.front().kind, "resume");
}

TEST(Trainer, RestartsTheSourcesAugmentationsEachEpochFromTheTrialsSeed) {
  auto seeds_of = [](uint64_t seed) {
    Control control;
    std::ostringstream out;
    Trainer trainer(std::make_shared<FakeFactory>(control), quiet_options(out));
    RecordingSink sink;
    TrialSpec trial = tiny_trial();
    trial.seed = seed;
    EXPECT_EQ(trainer.run(trial, {}, sink).status, TrialStatus::done);
    return control.augmentation_seeds;
  };
  const std::vector<uint64_t> seeds = seeds_of(5);
  // Once per training epoch (3), and only then: evaluation does not augment.
  ASSERT_EQ(seeds.size(), 3u);
  EXPECT_EQ(std::set<uint64_t>(seeds.begin(), seeds.end()).size(), 3u);
  EXPECT_EQ(seeds_of(5), seeds);  // a function of the seed and the epoch
  EXPECT_NE(seeds_of(6), seeds);
}

TEST(Trainer, OutOfMemoryFailsTheTrialNamingTheBatch) {
  Control control;
  control.oom_at_training_load = 2;  // the third training batch
  std::ostringstream out;
  Trainer trainer(std::make_shared<FakeFactory>(control), quiet_options(out));
  RecordingSink sink;
  const TrialOutcome outcome = trainer.run(tiny_trial(), {}, sink);
  EXPECT_EQ(outcome.status, TrialStatus::failed);
  // Epochs as users read them: 1-based.
  EXPECT_EQ(outcome.error, "out of memory at training batch 3 (epoch 1)");
}

TEST(Trainer, RejectsABestMetricThatIsNotValidated) {
  Control control;
  std::ostringstream out;
  Trainer trainer(std::make_shared<FakeFactory>(control), quiet_options(out));
  RecordingSink sink;
  TrialSpec trial = tiny_trial();
  trial.train.best_metric = "rec_psrn";
  const TrialOutcome outcome = trainer.run(trial, {}, sink);
  EXPECT_EQ(outcome.status, TrialStatus::failed);
  EXPECT_NE(outcome.error.find("train.best_metric 'rec_psrn'"), std::string::npos) << outcome.error;
}

TEST(Trainer, RegistryBackedTrainerReportsAMissingPluginAsAFailedTrial) {
  PluginRegistry registry;  // nothing loaded
  std::ostringstream out;
  Trainer trainer(registry, quiet_options(out));
  RecordingSink sink;
  TrialSpec trial = tiny_trial();
  trial.data = {"no_such_source", nlohmann::json::object()};
  const TrialOutcome outcome = trainer.run(trial, {}, sink);
  EXPECT_EQ(outcome.status, TrialStatus::failed);
  EXPECT_NE(outcome.error.find("no_such_source"), std::string::npos) << outcome.error;
  EXPECT_EQ(outcome.error.find('\n'), std::string::npos) << "one line for the user";
}

TEST(ProgressLine, LiveLineIsRewrittenInPlaceAndPadded) {
  std::ostringstream out;
  ProgressLine line(out, /*live=*/true, "[t]");
  EXPECT_FALSE(line.due());  // just created: not yet 0.25 s
  line.update(0, 2, 10, 100, 0.5, 123.4, 3725.0);
  line.update(0, 2, 9, 100, 0.5, 1.0, 5.0);
  line.finish();
  const std::string text = out.str();
  EXPECT_EQ(text.front(), '\r');
  EXPECT_NE(text.find("[t] epoch 1/2 step 10/100 loss 0.5 123.4 img/s ETA 1h02m"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("ETA 0m05s"), std::string::npos) << text;
  // The shorter second line is padded to the first one's width, then ended.
  const std::size_t second = text.find('\r', 1);
  ASSERT_NE(second, std::string::npos);
  EXPECT_EQ(text.size() - second - 2, second - 1);
  EXPECT_EQ(text.back(), '\n');
  EXPECT_FALSE(ProgressLine::is_terminal(out));
}

// The real plugins, small enough for a unit test: a few epochs must improve
// both recovery and hiding, as the quickstart promises at a larger size.
TEST(Trainer, RealPluginsLearnToHideAndRecover) {
  PluginRegistry registry;
  registry.discover({STEGOLAB_TEST_PLUGIN_DIR});
  TrialSpec trial;
  trial.experiment = "unit";
  trial.key = "real#r0";
  trial.seed = 1;
  trial.data = {"synthetic", {{"size", 16}, {"count", 400}}};
  trial.task = {"steganography", nlohmann::json::object()};
  trial.task_metrics = steganography::metric_declarations();
  trial.train.best_metric = "rec_psnr";
  trial.sections["transform"] = {"haar_dwt", {{"levels", 1}}};
  trial.sections["model"] = {"star_inn", {{"blocks", 2}, {"hidden", 16}}};
  trial.sections["loss"] = {"stego_loss", nlohmann::json::object()};
  trial.strategy = {"standard", {{"clip_norm", 1.0}}};
  trial.train.epochs = 5;
  trial.train.batch_size = 8;
  trial.train.device = "cpu";
  trial.train.optimizer.lr = 4e-3;
  trial.eval.batch_size = 20;
  std::ostringstream out;
  Trainer trainer(std::make_shared<RegistryComponentFactory>(registry), quiet_options(out));
  RecordingSink sink;
  const TrialOutcome outcome = trainer.run(trial, {}, sink);
  ASSERT_EQ(outcome.status, TrialStatus::done) << outcome.error;
  // Measured when written (stegolab run of the same settings, 1 thread):
  // rec_psnr 18.3 -> 23.1 dB, hide_psnr 15.6 -> 23.2 dB over the 5 epochs.
  const double rec_first = sink.find(0, Split::val, "rec_psnr")->value;
  const double rec_last = sink.find(4, Split::val, "rec_psnr")->value;
  const double hide_first = sink.find(0, Split::val, "hide_psnr")->value;
  const double hide_last = sink.find(4, Split::val, "hide_psnr")->value;
  EXPECT_GT(rec_last, rec_first + 2.0) << "rec_psnr " << rec_first << " -> " << rec_last;
  EXPECT_GT(hide_last, hide_first + 2.0) << "hide_psnr " << hide_first << " -> " << hide_last;
  // The total loss can rise while the hiding weight ramps up; the recovery
  // term's weight is constant.
  EXPECT_LT(sink.find(4, Split::train, "loss/rec_mse")->value,
            sink.find(0, Split::train, "loss/rec_mse")->value);
}

}  // namespace
}  // namespace stegolab
