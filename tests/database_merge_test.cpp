// `stegolab results merge`: shard databases into one (store/database_merge).
// The shards are written through ResultStore, as runs write them, without
// training anything.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <sqlite3.h>

#include "support/build_locations.hpp"
#include "stegolab/errors.hpp"
#include "store/database_merge.hpp"
#include "store/result_store.hpp"
#include "store/trial_merge_choice.hpp"
#include "sweep/sweep_order.hpp"

namespace stegolab {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

const json kExperiment = {
    {"name", "grid"},
    {"train", {{"epochs", 1}}},
    {"sweep", {{"axes", {{"train.optimizer.lr", {0.001, 0.002, 0.003, 0.004}}}}}}};

std::string key_of(double lr) {
  std::ostringstream text;
  text << "train.optimizer.lr=" << lr << "#r0";
  return text.str();
}

class DatabaseMergeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(STEGOLAB_TEST_BUILD_DIR) / "database_merge_test" /
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_ / "shards");
    out_ = dir_ / "out.db";
  }

  // A shard database holding the trials of `lrs`, done with final metric
  // `score` (or left interrupted after one epoch when `done` is false).
  std::filesystem::path shard(const std::string& name, const std::vector<double>& lrs, double score,
                              bool done = true, const json& experiment = kExperiment) {
    const std::filesystem::path file = dir_ / "shards" / name;
    ResultStore store(file, ResultStore::Mode::read_write);
    const int64_t experiment_id = store.open_experiment("grid", experiment, false).id;
    store.write_conventions({{"score", "a score", "", "higher"}});
    for (const double lr : lrs) {
      TrialProvenance provenance;
      provenance.key = key_of(lr);
      provenance.sweep_point = {{"train.optimizer.lr", lr}};
      provenance.host = "node-" + name;
      const int64_t trial = store.start_trial(experiment_id, provenance);
      store.record_epoch(trial, 0, {{0, Split::val, "score", score + lr}});
      store.record_event(trial, 0, "shard", "shard of " + name);
      if (!done) {
        store.finish_trial(trial, TrialStatus::interrupted, "stopped", {}, Throughput{});
        continue;
      }
      store.finish_trial(trial, TrialStatus::done, "", {{0, Split::test, "score", score * lr}},
                         Throughput{});
    }
    return file;
  }

  std::vector<TrialRecord> merged_trials() const {
    ResultStore store(out_, ResultStore::Mode::read_only);
    return store.trials(store.experiment("grid").id);
  }

  std::filesystem::path dir_, out_;
};

TEST(SweepOrder, FollowsTheSweepsStableOrderFromTheDocumentAlone) {
  EXPECT_EQ(sweep_order(kExperiment),
            (std::vector<std::string>{key_of(0.001), key_of(0.002), key_of(0.003), key_of(0.004)}));
  EXPECT_TRUE(sweep_order(json{{"sweep", {{"axes", 3}}}}).empty());
}

TEST(TrialMergeChoice, FinishedBeatsUnfinishedAndEqualResultsKeepTheOutput) {
  const TrialCopy done{TrialStatus::done, 3, "2026-01-01T00:00:02.000Z"};
  const TrialCopy older{TrialStatus::done, 3, "2026-01-01T00:00:01.000Z"};
  const TrialCopy interrupted{TrialStatus::interrupted, 1, ""};
  const TrialCopy pending{TrialStatus::pending, -1, ""};
  EXPECT_EQ(choose_trial_copy(interrupted, done, false, false), TrialChoice::replace);
  EXPECT_EQ(choose_trial_copy(done, interrupted, false, false), TrialChoice::keep);
  EXPECT_EQ(choose_trial_copy(pending, interrupted, false, false), TrialChoice::replace);
  EXPECT_EQ(choose_trial_copy(interrupted, pending, false, false), TrialChoice::keep);
  EXPECT_EQ(choose_trial_copy(done, older, true, false), TrialChoice::keep);
  EXPECT_EQ(choose_trial_copy(older, done, false, false), TrialChoice::conflict);
  EXPECT_EQ(choose_trial_copy(older, done, false, true), TrialChoice::replace);
  EXPECT_EQ(choose_trial_copy(done, older, false, true), TrialChoice::keep);
}

TEST_F(DatabaseMergeTest, JoinsShardsInSweepOrderWithTheirProvenance) {
  // Shard 1 of 2 holds the 2nd and 4th trial, shard 0 the others; merged
  // in the "wrong" order, the trials still get the ids of a single run.
  const auto one = shard("1.db", {0.002, 0.004}, 10);
  const auto zero = shard("0.db", {0.001, 0.003}, 10);
  const MergeSummary part = merge_databases(out_, {one}, {});
  ASSERT_EQ(part.warnings.size(), 1u);
  EXPECT_EQ(part.warnings[0],
            "experiment 'grid': 2 of its 4 trials are in none of the merged files (shards not "
            "run yet, or not named); merging them later adds them");
  std::filesystem::remove(out_);
  const MergeSummary summary = merge_databases(out_, {one, zero}, {});
  EXPECT_TRUE(summary.warnings.empty());
  EXPECT_EQ(summary.added, 4);
  EXPECT_TRUE(summary.written);
  const auto trials = merged_trials();
  ASSERT_EQ(trials.size(), 4u);
  for (size_t i = 0; i < trials.size(); ++i) {
    EXPECT_EQ(trials[i].id, static_cast<int64_t>(i + 1));
    EXPECT_EQ(trials[i].key, key_of(0.001 * static_cast<double>(i + 1)));
    EXPECT_EQ(trials[i].status, TrialStatus::done);
  }
  ResultStore store(out_, ResultStore::Mode::read_only);
  EXPECT_EQ(trials[1].host, "node-1.db");
  EXPECT_EQ(store.final_metrics(trials[1].id).at(0).value, 10 * 0.002);
  EXPECT_EQ(store.epoch_metrics(trials[1].id).at(0).value, 10 + 0.002);
  std::vector<std::string> kinds;
  for (const auto& event : store.events(trials[1].id)) kinds.push_back(event.kind);
  EXPECT_THAT(kinds, ::testing::Contains("shard"));
  EXPECT_THAT(kinds, ::testing::Contains("merged"));
  EXPECT_EQ(store.conventions().size(), 1u);
  EXPECT_FALSE(std::filesystem::exists(out_.string() + "-wal"));
}

TEST_F(DatabaseMergeTest, IsIdempotentAndLeavesAnUnchangedFileAlone) {
  const auto zero = shard("0.db", {0.001, 0.003}, 10);
  const auto one = shard("1.db", {0.002, 0.004}, 10);
  merge_databases(out_, {zero, one}, {});
  const auto before = std::filesystem::last_write_time(out_);
  const MergeSummary again = merge_databases(out_, {zero, one}, {});
  EXPECT_EQ(again.added, 0);
  EXPECT_EQ(again.kept, 4);
  EXPECT_FALSE(again.written);
  EXPECT_EQ(std::filesystem::last_write_time(out_), before);
  EXPECT_EQ(merged_trials().size(), 4u);
  // Merging shard by shard gives the same trials as all at once.
  std::filesystem::remove(out_);
  merge_databases(out_, {one}, {});
  merge_databases(out_, {zero}, {});
  const auto trials = merged_trials();
  ASSERT_EQ(trials.size(), 4u);
  EXPECT_EQ(trials[0].key, key_of(0.001));
}

TEST_F(DatabaseMergeTest, RefusesAnotherDefinitionNamingTheDifferenceAndWritesNothing) {
  json changed = kExperiment;
  changed["train"]["epochs"] = 2;
  const auto zero = shard("0.db", {0.001}, 10);
  const auto one = shard("1.db", {0.002}, 10, true, changed);
  try {
    merge_databases(out_, {zero, one}, {});
    FAIL() << "expected an Error";
  } catch (const Error& error) {
    EXPECT_THAT(std::string(error.what()),
                HasSubstr("holds experiment 'grid' with another "
                          "definition than '" +
                          zero.string() + "' (changed: /train/epochs (replace))"));
    EXPECT_EQ(std::string(error.what()).find('\n'), std::string::npos);
  }
  EXPECT_FALSE(std::filesystem::exists(out_));
  for (const auto& entry : std::filesystem::directory_iterator(out_.parent_path()))
    EXPECT_EQ(entry.path().filename().string().find(".merging-"), std::string::npos);
}

TEST_F(DatabaseMergeTest, DifferentResultsOfOneTrialAreRefusedUnlessPreferNewest) {
  const auto first = shard("a.db", {0.001}, 10);
  const auto second = shard("b.db", {0.001}, 20);
  merge_databases(out_, {first}, {});
  try {
    merge_databases(out_, {second}, {});
    FAIL() << "expected an Error";
  } catch (const Error& error) {
    EXPECT_THAT(std::string(error.what()),
                HasSubstr("trial '" + key_of(0.001) + "' is in '" + second.string() + "' and in '" +
                          out_.string() + "' with different results"));
  }
  {
    ResultStore store(out_, ResultStore::Mode::read_only);
    EXPECT_EQ(store.final_metrics(merged_trials().at(0).id).at(0).value, 10 * 0.001);
  }
  MergeOptions newest;
  newest.prefer_newest = true;
  const MergeSummary summary = merge_databases(out_, {second}, newest);
  EXPECT_EQ(summary.replaced, 1);
  ResultStore store(out_, ResultStore::Mode::read_only);
  EXPECT_EQ(store.final_metrics(merged_trials().at(0).id).at(0).value, 20 * 0.001);
}

TEST_F(DatabaseMergeTest, AFinishedCopyReplacesAnInterruptedOne) {
  const auto stopped = shard("a.db", {0.001}, 10, false);
  const auto finished = shard("b.db", {0.001}, 10);
  const MergeSummary summary = merge_databases(out_, {stopped, finished}, {});
  EXPECT_EQ(summary.added, 1);
  EXPECT_EQ(summary.replaced, 1);
  EXPECT_EQ(merged_trials().at(0).status, TrialStatus::done);
  // The other order keeps the finished copy.
  std::filesystem::remove(out_);
  merge_databases(out_, {finished, stopped}, {});
  EXPECT_EQ(merged_trials().at(0).status, TrialStatus::done);
}

// A per-trial table the merge does not name is copied because it has a
// trial_id column; its paths relative to the database's folder follow the
// move from the shard's folder to OUT's. (Schema version 3 brings this
// table; here it is added by hand to both files.)
TEST_F(DatabaseMergeTest, CopiesEveryPerTrialTableAndRebasesRelativePaths) {
  // gallery_images as schema 3 defines it: paths relative to the database's folder.
  const auto zero = shard("0.db", {0.001, 0.002}, 10);
  { ResultStore create(out_, ResultStore::Mode::read_write); }
  {
    ResultStore store(zero, ResultStore::Mode::read_write);
    const std::filesystem::path folder = zero.parent_path();
    store.record_gallery(
        2, {{Split::test, 0, 0, "input", "x", folder / "0.runs/2/gallery/s0.png", 16, 16},
            {Split::test, 0, 1, "output", "y", "/abs/s1.png", 16, 16}});
  }
  merge_databases(out_, {zero}, {});
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(out_.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* query = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db,
                               "SELECT t.key, g.panel, g.path, g.width FROM gallery_images g "
                               "JOIN trials t ON t.id = g.trial_id ORDER BY g.position",
                               -1, &query, nullptr),
            SQLITE_OK);
  std::vector<std::string> rows;
  while (sqlite3_step(query) == SQLITE_ROW) {
    std::string row;
    for (int c = 0; c < 4; ++c)
      row +=
          std::string(c ? " " : "") + reinterpret_cast<const char*>(sqlite3_column_text(query, c));
    rows.push_back(row);
  }
  sqlite3_finalize(query);
  sqlite3_close(db);
  EXPECT_EQ(rows,
            (std::vector<std::string>{key_of(0.002) + " input shards/0.runs/2/gallery/s0.png 16",
                                      key_of(0.002) + " output /abs/s1.png 16"}));
}

TEST_F(DatabaseMergeTest, RefusesTheOutputAsASourceAndFilesThatAreNotDatabases) {
  const auto zero = shard("0.db", {0.001}, 10);
  merge_databases(out_, {zero}, {});
  EXPECT_THROW(merge_databases(out_, {out_}, {}), Error);
  std::ofstream(dir_ / "text.db") << "not a database";
  EXPECT_THROW(merge_databases(out_, {dir_ / "text.db"}, {}), Error);
  EXPECT_THROW(merge_databases(out_, {dir_ / "missing.db"}, {}), Error);
  EXPECT_EQ(merged_trials().size(), 1u);
}

}  // namespace
}  // namespace stegolab
