// Trials not trained here (trials.kind external, schema version 4): recorded
// beside the trained ones, rerun in place, guarded against runs, and placed
// in the same report table under their name.
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "report/report_table.hpp"
#include "store/result_store.hpp"

namespace stegolab {
namespace {

namespace fs = std::filesystem;

class ExternalTrialTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device random;
    dir_ = fs::temp_directory_path() / ("stegolab_external_test_" + std::to_string(random()));
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  fs::path dir_;
};

const nlohmann::json kExperiment = {{"name", "demo"}, {"train", {{"epochs", 3}}}};
const nlohmann::json kConfig = {{"fingerprint", "0123"}, {"images", 4}};

// A trained trial "model.plugin=hinet#r0" with rec_psnr 30.
int64_t trained_trial(ResultStore& store, int64_t experiment) {
  TrialProvenance p;
  p.key = "model.plugin=hinet#r0";
  p.sweep_point = {{"model.plugin", "hinet"}};
  p.config = {{"model", {{"plugin", "hinet"}}}};
  const int64_t trial = store.start_trial(experiment, p);
  store.finish_trial(trial, TrialStatus::done, "", {{0, Split::test, "rec_psnr", 30.0}},
                     Throughput{});
  return trial;
}

std::vector<MetricRow> metrics(double rec_psnr) { return {{0, Split::test, "rec_psnr", rec_psnr}}; }

TEST_F(ExternalTrialTest, JoinsTheExperimentAndARerunReusesItsRow) {
  ResultStore store(dir_ / "r.db", ResultStore::Mode::read_write);
  const int64_t experiment = store.open_experiment("demo", kExperiment, false).id;
  trained_trial(store, experiment);
  const ExternalTrialRow first =
      store.record_external_trial("demo", "HiNet, authors'", "external", kConfig);
  EXPECT_TRUE(first.created);
  EXPECT_EQ(first.experiment_id, experiment);
  store.add_final_metrics(first.id, metrics(28.5));
  const TrialRecord record = store.trial(first.id);
  EXPECT_EQ(record.kind, "external");
  EXPECT_EQ(record.key, "HiNet, authors'");
  EXPECT_EQ(record.status, TrialStatus::done);
  // The same images again: the same row, its metrics kept (a later
  // measurement adds to them).
  const ExternalTrialRow again =
      store.record_external_trial("demo", "HiNet, authors'", "external", kConfig);
  EXPECT_EQ(again.id, first.id);
  EXPECT_FALSE(again.created);
  EXPECT_FALSE(again.metrics_cleared);
  EXPECT_EQ(store.final_metrics(first.id).size(), 1u);
  EXPECT_EQ(store.trials(experiment).size(), 2u);
  // Other images: the old numbers go, with an event saying so.
  const ExternalTrialRow other = store.record_external_trial(
      "demo", "HiNet, authors'", "external", {{"fingerprint", "4567"}, {"images", 4}});
  EXPECT_EQ(other.id, first.id);
  EXPECT_TRUE(other.metrics_cleared);
  EXPECT_TRUE(store.final_metrics(first.id).empty());
  ASSERT_EQ(store.events(first.id).size(), 1u);
  EXPECT_EQ(store.events(first.id)[0].kind, "restart");
}

TEST_F(ExternalTrialTest, NeitherATrainedTrialNorARunIsOverwritten) {
  ResultStore store(dir_ / "r.db", ResultStore::Mode::read_write);
  const int64_t experiment = store.open_experiment("demo", kExperiment, false).id;
  trained_trial(store, experiment);
  EXPECT_THROW(store.record_external_trial("demo", "model.plugin=hinet#r0", "external", kConfig),
               StoreError);
  store.record_external_trial("demo", "ours", "external", kConfig);
  TrialProvenance clash;
  clash.key = "ours";
  EXPECT_THROW(store.start_trial(experiment, clash), StoreError);
  EXPECT_EQ(store.trials(experiment)[1].kind, "external");
}

TEST_F(ExternalTrialTest, AMissingExperimentIsCreatedAsAStub) {
  ResultStore store(dir_ / "r.db", ResultStore::Mode::read_write);
  const ExternalTrialRow row =
      store.record_external_trial("baselines", "HiNet", "external", kConfig);
  const ExperimentRecord experiment = store.experiment("baselines");
  EXPECT_EQ(row.experiment_id, experiment.id);
  EXPECT_EQ(experiment.experiment.at("name"), "baselines");
  EXPECT_EQ(store.trials(experiment.id).at(0).config, kConfig);
}

TEST_F(ExternalTrialTest, TheReportTableShowsItUnderItsName) {
  ResultStore store(dir_ / "r.db", ResultStore::Mode::read_write);
  const int64_t experiment = store.open_experiment("demo", kExperiment, false).id;
  trained_trial(store, experiment);
  store.add_final_metrics(
      store.record_external_trial("demo", "HiNet, authors'", "external", kConfig).id,
      metrics(28.5));
  ReportSpec spec;
  spec.rows = {"model.plugin"};
  spec.metrics = {"rec_psnr"};
  const ReportTable table = ReportTable::build(store, store.experiment("demo"), spec);
  // Rows sorted by value: the external trial's name, then the trained trial's plugin.
  ASSERT_EQ(table.row_keys.size(), 2u);
  EXPECT_EQ(table.row_keys[0].at(0), "HiNet, authors'");
  EXPECT_EQ(table.row_keys[1].at(0), "hinet");
  EXPECT_EQ(table.cells[0][0][0].stats.mean, 28.5);
  EXPECT_EQ(table.cells[1][0][0].stats.mean, 30.0);
}

}  // namespace
}  // namespace stegolab
