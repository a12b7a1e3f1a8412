// A deterministic trial stopped between epochs (or before its test
// evaluation) and resumed from its checkpoint in a fresh trainer gives
// exactly the numbers of an uninterrupted one: every random stream of the
// trial (the source's flips, the loss's channel noise and rounding mask, the
// model's random prior) and the trainer's own state come back as they were.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "support/build_locations.hpp"
#include "plugin_host/plugin_registry.hpp"
#include "support/tiny_run_plugins.hpp"
#include "spec/experiment_spec.hpp"
#include "spec/registry_catalog.hpp"
#include "trainer/directory_checkpointer.hpp"
#include "trainer/registry_component_factory.hpp"
#include "trainer/trainer.hpp"

namespace stegolab {
namespace {

// Real plugins, every random stream switched on, 4 tiny epochs.
constexpr const char* kExperiment = R"({
  "name": "resume",
  "data": {"plugin": "synthetic", "params": {"size": 16, "count": 40},
           "split": {"train": 0.6, "val": 0.2, "test": 0.2}},
  "transform": {"plugin": "haar_dwt"},
  "model": {"plugin": "star_inn", "params": {"blocks": 1, "hidden": 8, "lost": "gaussian"}},
  "task": {"plugin": "steganography",
           "params": {"train_attacks": [{"chain": [{"plugin": "quantize8"},
                                                   {"plugin": "gaussian_noise",
                                                    "params": {"sigma": 2.55}}]}],
                      "train_attack_probability": {"start": 0.2, "end": 0.9}}},
  "loss": {"plugin": "stego_loss", "params": {}},
  "train": {"epochs": 4, "batch_size": 4, "device": "cpu", "seed": 11, "deterministic": true},
  "eval": {"batch_size": 8}
})";

// Measures of time: the only numbers two runs cannot share.
bool measures_time(const std::string& metric) {
  return metric == "images_per_s" || metric == "step_time_ms" || metric == "data_wait_ms" ||
         metric == "data_images_per_s";
}

// Every row the trainer handed to its sink, the latest attempt's per epoch,
// and sets the interrupt flag after the epochs it is told to stop after.
class StoppingSink : public EpochSink {
 public:
  StoppingSink(std::atomic<bool>& interrupt, std::set<int64_t> stops)
      : interrupt_(interrupt), stops_(std::move(stops)) {}
  void on_epoch(int64_t epoch, const std::vector<MetricRow>& rows) override {
    this->rows[epoch] = rows;
    if (stops_.erase(epoch) > 0) interrupt_.store(true);
  }
  void on_event(int64_t, const std::string& kind, const std::string&) override {
    kinds.push_back(kind);
  }
  std::map<int64_t, std::vector<MetricRow>> rows;
  std::vector<std::string> kinds;

 private:
  std::atomic<bool>& interrupt_;
  std::set<int64_t> stops_;
};

struct Recording {
  std::map<int64_t, std::vector<MetricRow>> epochs;
  std::vector<MetricRow> final_metrics;
  int attempts = 0;
};

class DeterministicResume : public ::testing::Test {
 protected:
  void SetUp() override {
    registry_.discover({STEGOLAB_TEST_PLUGIN_DIR});
    if (const std::string missing = missing_tiny_run_plugin(registry_); !missing.empty())
      GTEST_SKIP() << "plugin " << missing << " is not in this build";
    trial_ = parse_experiment(kExperiment, "resume.json", RegistryCatalog(registry_)).trials.at(0);
    dir_ = std::filesystem::path(STEGOLAB_TEST_BUILD_DIR) / "deterministic_resume_test" /
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
  }

  // Runs the trial to its end, stopping after each epoch of `stops` (0-based)
  // and resuming, each time in a fresh trainer, from its last checkpoint.
  Recording run(const std::set<int64_t>& stops) {
    std::filesystem::remove_all(dir_);
    std::atomic<bool> interrupt{false};
    StoppingSink sink(interrupt, stops);
    TrialRun run{dir_, std::nullopt};
    Recording recording;
    for (;;) {
      std::ostringstream out;
      TrainerOptions options;
      options.out = &out;
      options.live_progress = false;
      options.interrupt = &interrupt;
      Trainer trainer(std::make_shared<RegistryComponentFactory>(registry_), options);
      trainer.set_checkpointer(std::make_shared<DirectoryCheckpointer>());
      interrupt.store(false);
      const TrialOutcome outcome = trainer.run(trial_, run, sink);
      ++recording.attempts;
      if (outcome.status == TrialStatus::done) {
        recording.final_metrics = outcome.final_metrics;
        break;
      }
      EXPECT_EQ(outcome.status, TrialStatus::interrupted) << outcome.error;
      if (outcome.status != TrialStatus::interrupted || recording.attempts > 8) break;
      run.resume_from = dir_ / "last";
    }
    recording.epochs = sink.rows;
    return recording;
  }

  PluginRegistry registry_;
  TrialSpec trial_;
  std::filesystem::path dir_;
};

void expect_equal_rows(const std::vector<MetricRow>& expected, const std::vector<MetricRow>& got,
                       const std::string& where) {
  ASSERT_EQ(got.size(), expected.size()) << where;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    ASSERT_EQ(got[i].metric, expected[i].metric) << where;
    ASSERT_EQ(got[i].split, expected[i].split) << where;
    if (measures_time(expected[i].metric)) continue;
    // Bit for bit: EXPECT_EQ on doubles, not a tolerance.
    EXPECT_EQ(got[i].value, expected[i].value) << where << " " << expected[i].metric;
  }
}

TEST_F(DeterministicResume, StoppedAndResumedAnywhereEqualsUninterrupted) {
  const Recording uninterrupted = run({});
  ASSERT_EQ(uninterrupted.attempts, 1);
  ASSERT_EQ(uninterrupted.epochs.size(), 4u);
  ASSERT_FALSE(uninterrupted.final_metrics.empty());
  // After the first epoch, in the middle, twice in a row, and after the
  // last epoch (only the test evaluation is left).
  for (const std::set<int64_t>& stops :
       {std::set<int64_t>{0}, std::set<int64_t>{1, 2}, std::set<int64_t>{3}}) {
    std::string where = "stopped after epoch(s)";
    for (const int64_t stop : stops) where += " " + std::to_string(stop + 1);
    const Recording resumed = run(stops);
    EXPECT_EQ(resumed.attempts, static_cast<int>(stops.size()) + 1) << where;
    ASSERT_EQ(resumed.epochs.size(), 4u) << where;
    for (const auto& [epoch, rows] : uninterrupted.epochs) {
      expect_equal_rows(rows, resumed.epochs.at(epoch),
                        where + ", epoch " + std::to_string(epoch + 1));
    }
    expect_equal_rows(uninterrupted.final_metrics, resumed.final_metrics, where + ", test");
  }
}

}  // namespace
}  // namespace stegolab
