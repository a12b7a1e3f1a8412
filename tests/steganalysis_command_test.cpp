// Steganalysis of recorded trials: eval.steganalysis records the
// steganalysis_* metrics when a trial ends, `stegolab steganalyze` measures a
// trial again and adds them, its controls check the detectors on the trial's
// covers (identical copies read exactly 0.5) and record nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "store/result_store.hpp"
#include "support/build_locations.hpp"
#include "support/tiny_experiment.hpp"
#include "support/tiny_run_plugins.hpp"

namespace stegolab {
namespace {

using ::testing::HasSubstr;

class SteganalysisCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const std::string missing = missing_tiny_run_plugin(); !missing.empty())
      GTEST_SKIP() << "plugin " << missing << " is not in this build";
    dir_ = fresh_test_folder("steganalysis_command_test");
  }

  std::map<std::string, double> test_metrics() const {
    ResultStore store(dir_ / "tiny.db", ResultStore::Mode::read_only);
    std::map<std::string, double> metrics;
    const int64_t trial = store.trials(store.experiment("tiny").id).at(0).id;
    for (const MetricRow& row : store.final_metrics(trial)) {
      if (row.split == Split::test) metrics[row.metric] = row.value;
    }
    return metrics;
  }

  CommandResult steganalyze(const std::string& options) const {
    return run_shell(std::string(STEGOLAB_TEST_BINARY) + " steganalyze --db " +
                     (dir_ / "tiny.db").string() + " --trial 1 --epochs 1 " + options);
  }

  std::filesystem::path dir_;
};

const char* const kMetrics[] = {"steganalysis_cnn_accuracy", "steganalysis_cnn_auc",
                                "steganalysis_spa_accuracy", "steganalysis_spa_auc",
                                "steganalysis_spa_rate"};

TEST_F(SteganalysisCommand, EvalSteganalysisRecordsItsMetricsWithTheTrial) {
  const CommandResult run = run_tiny_experiment(
      dir_, tiny_experiment({{"eval", {{"gallery", 0}, {"steganalysis", {{"epochs", 1}}}}}}));
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_THAT(run.output, HasSubstr("steganalysis epoch 1/1"));
  const auto metrics = test_metrics();
  for (const char* name : kMetrics) {
    ASSERT_EQ(metrics.count(name), 1u) << name;
  }
  for (const char* name : {"steganalysis_cnn_auc", "steganalysis_spa_accuracy"}) {
    EXPECT_GE(metrics.at(name), 0.0) << name;
    EXPECT_LE(metrics.at(name), 1.0) << name;
  }
  EXPECT_EQ(metrics.count("rec_psnr"), 1u);  // the trial's own stay
}

TEST_F(SteganalysisCommand, MeasuresARecordedTrialAndItsControls) {
  const CommandResult run = run_tiny_experiment(dir_, tiny_experiment({{"eval", {{"gallery", 0}}}}));
  ASSERT_EQ(run.status, 0) << run.output;
  ASSERT_EQ(test_metrics().count("steganalysis_cnn_auc"), 0u);
  // stego = cover: every score of a stego equals its cover's, so both
  // detectors read exactly 0.5, and a control records nothing.
  const CommandResult identical = steganalyze("--control identical");
  ASSERT_EQ(identical.status, 0) << identical.output;
  EXPECT_THAT(identical.output, HasSubstr("accuracy 0.500, ROC AUC 0.500  (0.5 = undetectable)"));
  EXPECT_THAT(identical.output, HasSubstr("sample-pair analysis:              accuracy 0.500, "
                                          "ROC AUC 0.500"));
  EXPECT_EQ(test_metrics().count("steganalysis_cnn_auc"), 0u);
  const CommandResult measured = steganalyze("");
  ASSERT_EQ(measured.status, 0) << measured.output;
  EXPECT_THAT(measured.output, HasSubstr("recorded steganalysis_* of trial 1"));
  const auto metrics = test_metrics();
  for (const char* name : kMetrics) EXPECT_EQ(metrics.count(name), 1u) << name;
  EXPECT_EQ(metrics.count("rec_psnr"), 1u);
  const CommandResult wrong = steganalyze("--control sometimes");
  EXPECT_NE(wrong.status, 0);
  EXPECT_THAT(wrong.output, HasSubstr("--control: expected none, lsb or identical"));
}

}  // namespace
}  // namespace stegolab
