// ResultStore: schema, NaN handling, experiment identity, resume, read-only
// opening and the errors a user sees.
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <iterator>
#include <limits>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "store/result_store.hpp"

namespace stegolab {
namespace {

namespace fs = std::filesystem;

class ResultStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device random;
    dir_ = fs::temp_directory_path() / ("stegolab_store_test_" + std::to_string(random()));
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::permissions(dir_, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(dir_, ec);
  }
  fs::path dir_;
};

std::string read_bytes(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Runs one SQL query through the plain C API (as a user's sqlite3 would) and
// returns the first column of the first row as text ("NULL" for NULL).
std::string raw_query(const fs::path& file, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr), SQLITE_OK)
      << sqlite3_errmsg(db);
  std::string result = "<no row>";
  if (sqlite3_step(statement) == SQLITE_ROW) {
    const auto* text = sqlite3_column_text(statement, 0);
    result = text == nullptr ? "NULL" : reinterpret_cast<const char*>(text);
  }
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return result;
}

void raw_exec(const fs::path& file, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
      << sqlite3_errmsg(db);
  sqlite3_close(db);
}

TrialProvenance provenance(const std::string& transform, int64_t batch, int64_t repeat) {
  TrialProvenance p;
  p.key = "transform.plugin=" + transform + ",train.batch_size=" + std::to_string(batch) + "#r" +
          std::to_string(repeat);
  p.sweep_point = {{"transform.plugin", transform}, {"train.batch_size", batch}};
  p.config = {{"transform", {{"plugin", transform}}}, {"train", {{"batch_size", batch}}}};
  p.repeat = repeat;
  p.seed = 0xFFFFFFFFFFFFFFF0ULL;  // above 2^63: must survive the signed INTEGER column
  p.device = "cpu";
  p.torch_version = "1.13.1";
  p.plugins = {{"transform", {{"name", transform}, {"version", "1.0"}}}};
  return p;
}

const nlohmann::json kExperiment = {{"name", "demo"}, {"train", {{"epochs", 3}, {"lr", 1e-3}}}};

TEST_F(ResultStoreTest, RoundTripKeepsNanAndInfinityAndProvenance) {
  const fs::path file = dir_ / "sub" / "r.db";  // the folder is created
  ResultStore store(file, ResultStore::Mode::read_write);
  const int64_t experiment = store.open_experiment("demo", kExperiment, false);
  const int64_t trial = store.start_trial(experiment, provenance("haar_dwt", 4, 0));
  const double inf = std::numeric_limits<double>::infinity();
  store.record_epoch(trial, 0, {{0, "train", "loss", 1.0}, {0, "val", "rec_psnr", 20.5}});
  store.record_epoch(trial, 1, {{1, "train", "loss", NAN}, {1, "val", "rec_psnr", inf}});
  store.record_epoch(trial, 2, {{2, "train", "loss", 3.0}, {2, "val", "rec_psnr", 30.0}});
  store.record_event(trial, 1, "divergence", "restored epoch 0 state");
  Throughput speed;
  speed.train_images_per_s = 123.5;
  speed.effective_batch = 8;
  speed.extra = {{"flops_per_image", 1e9}};
  store.finish_trial(trial, "done", "", {{2, "test", "rec_psnr", 31.25}, {2, "test", "ber", NAN}},
                     speed);

  const auto epochs = store.epoch_metrics(trial);
  ASSERT_EQ(epochs.size(), 6u);
  // Sorted by epoch, then train before val.
  EXPECT_EQ(epochs[2].metric, "loss");
  EXPECT_TRUE(std::isnan(epochs[2].value));
  EXPECT_EQ(epochs[3].value, inf);
  EXPECT_EQ(epochs[5].value, 30.0);

  const auto finals = store.final_metrics(trial);
  ASSERT_EQ(finals.size(), 2u);
  EXPECT_EQ(finals[0].metric, "ber");
  EXPECT_TRUE(std::isnan(finals[0].value));
  EXPECT_EQ(finals[1].value, 31.25);
  EXPECT_EQ(finals[1].epoch, 2);  // final rows carry the last epoch

  const auto tp = store.throughput(trial);
  ASSERT_TRUE(tp.has_value());
  EXPECT_EQ(tp->train_images_per_s, 123.5);
  EXPECT_TRUE(std::isnan(tp->eval_images_per_s));  // never measured: stays NaN
  EXPECT_EQ(tp->effective_batch, 8);
  EXPECT_EQ(tp->extra.at("flops_per_image"), 1e9);

  const TrialRecord record = store.trial(trial);
  EXPECT_EQ(record.status, "done");
  EXPECT_EQ(record.last_epoch, 2);
  EXPECT_EQ(record.seed, 0xFFFFFFFFFFFFFFF0ULL);
  EXPECT_EQ(record.sweep_point.at("train.batch_size"), 4);
  EXPECT_EQ(record.plugins.at("transform").at("version"), "1.0");
  EXPECT_FALSE(record.ended_at.empty());
  ASSERT_EQ(store.events(trial).size(), 1u);
  EXPECT_EQ(store.events(trial)[0].kind, "divergence");

  // Plain SQL: NaN is NULL with is_nan = 1, so AVG skips it: (1 + 3) / 2 = 2.
  EXPECT_EQ(raw_query(file, "SELECT value IS NULL AND is_nan = 1 FROM epoch_metrics "
                            "WHERE epoch = 1 AND metric = 'loss'"),
            "1");
  EXPECT_EQ(raw_query(file, "SELECT AVG(value) FROM epoch_metrics WHERE metric = 'loss'"), "2.0");
  // The documented json_extract() usage on the helper view.
  EXPECT_EQ(raw_query(file, "SELECT json_extract(sweep_point, '$.\"transform.plugin\"') || ' ' || "
                            "train_images_per_s FROM trial_summary"),
            "haar_dwt 123.5");
  EXPECT_EQ(raw_query(file, "SELECT value FROM final_results WHERE metric = 'rec_psnr'"), "31.25");
  EXPECT_EQ(raw_query(file, "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(raw_query(file, "SELECT version FROM schema_version"), "1");
}

TEST_F(ResultStoreTest, ExperimentIdentityFollowsTheJsonHash) {
  ResultStore store(dir_ / "r.db", ResultStore::Mode::read_write);
  const int64_t first = store.open_experiment("demo", kExperiment, false);
  // Same content parsed with another key order: same hash, same id.
  const auto reordered =
      nlohmann::json::parse(R"({"train": {"lr": 0.001, "epochs": 3}, "name": "demo"})");
  EXPECT_EQ(store.open_experiment("demo", reordered, false), first);
  EXPECT_EQ(store.open_experiment("demo", kExperiment, true), first);  // same hash wins

  auto changed = kExperiment;
  changed["train"]["epochs"] = 5;
  changed["train"]["seed"] = 1;
  try {
    store.open_experiment("demo", changed, false);
    FAIL() << "a changed definition must not be accepted silently";
  } catch (const StoreError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("/train/epochs (replace)"), std::string::npos) << message;
    EXPECT_NE(message.find("/train/seed (add)"), std::string::npos) << message;
    EXPECT_NE(message.find("r.db"), std::string::npos) << message;
  }
  const int64_t second = store.open_experiment("demo", changed, true);
  EXPECT_NE(second, first);
  EXPECT_EQ(store.experiment("demo").id, second);  // by name: the newest
  EXPECT_EQ(store.experiment(std::to_string(first)).id, first);
  EXPECT_THROW(store.experiment("nope"), StoreError);
}

TEST_F(ResultStoreTest, RestartingATrialReusesItsRowAndKeepsProgress) {
  ResultStore store(dir_ / "r.db", ResultStore::Mode::read_write);
  const int64_t experiment = store.open_experiment("demo", kExperiment, false);
  const int64_t trial = store.start_trial(experiment, provenance("ilwt53", 2, 1));
  store.set_checkpoint_dir(trial, "ckpt/t1");
  store.record_epoch(trial, 0, {{0, "val", "rec_psnr", 10.0}});
  store.finish_trial(trial, "interrupted", "SIGINT", {}, Throughput{});
  EXPECT_EQ(store.trial(trial).status, "interrupted");

  EXPECT_EQ(store.start_trial(experiment, provenance("ilwt53", 2, 1)), trial);
  const auto found = store.find_trial(experiment, provenance("ilwt53", 2, 1).key);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->status, "running");
  EXPECT_EQ(found->error, "");
  EXPECT_EQ(found->last_epoch, 0);
  EXPECT_EQ(found->checkpoint_dir, "ckpt/t1");
  EXPECT_TRUE(found->ended_at.empty());
  EXPECT_FALSE(store.find_trial(experiment, "other#r0").has_value());
  // Recording an epoch again replaces its rows instead of duplicating them.
  store.record_epoch(trial, 0, {{0, "val", "rec_psnr", 11.0}});
  ASSERT_EQ(store.epoch_metrics(trial).size(), 1u);
  EXPECT_EQ(store.epoch_metrics(trial)[0].value, 11.0);

  EXPECT_THROW(store.finish_trial(trial, "finished", "", {}, Throughput{}), StoreError);
  EXPECT_THROW(store.record_epoch(trial, 1, {{1, "validation", "x", 1.0}}), StoreError);
  EXPECT_THROW(store.record_epoch(999, 1, {}), StoreError);
  EXPECT_THROW(store.write_conventions({{"ber", "", "", "smaller"}}), StoreError);
  store.write_conventions({{"ber", "bit error rate", "", "lower"}, {"rec_psnr", "", "dB", "higher"}});
  store.write_conventions({{"ber", "bit error rate", "fraction", "lower"}});
  const auto conventions = store.conventions();
  ASSERT_EQ(conventions.size(), 2u);
  EXPECT_EQ(conventions[0].unit, "fraction");
  EXPECT_EQ(conventions[1].better, "higher");
}

TEST_F(ResultStoreTest, ListsExperimentsWithTrialCounts) {
  ResultStore store(dir_ / "r.db", ResultStore::Mode::read_write);
  const int64_t experiment = store.open_experiment("demo", kExperiment, false);
  const int64_t a = store.start_trial(experiment, provenance("haar_dwt", 2, 0));
  store.start_trial(experiment, provenance("haar_dwt", 4, 0));
  store.finish_trial(a, "done", "", {}, Throughput{});
  const auto all = store.experiments();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].status_counts.at("done"), 1);
  EXPECT_EQ(all[0].status_counts.at("running"), 1);
  EXPECT_EQ(all[0].experiment, kExperiment);
  EXPECT_EQ(store.trials(experiment).size(), 2u);
}

TEST_F(ResultStoreTest, RefusesNewerSchemaWithoutWriting) {
  const fs::path file = dir_ / "r.db";
  { ResultStore store(file, ResultStore::Mode::read_write); }
  raw_exec(file, "PRAGMA journal_mode = DELETE; UPDATE schema_version SET version = 99");
  const std::string before = read_bytes(file);
  for (const auto mode : {ResultStore::Mode::read_write, ResultStore::Mode::read_only}) {
    try {
      ResultStore store(file, mode);
      FAIL() << "a newer schema must be refused";
    } catch (const StoreError& error) {
      EXPECT_NE(std::string(error.what()).find("schema version 99"), std::string::npos)
          << error.what();
    }
  }
  EXPECT_EQ(read_bytes(file), before);
}

TEST_F(ResultStoreTest, RefusesFilesThatAreNotOurs) {
  const fs::path other = dir_ / "other.db";
  raw_exec(other, "CREATE TABLE notes (text TEXT)");
  try {
    ResultStore store(other, ResultStore::Mode::read_write);
    FAIL();
  } catch (const StoreError& error) {
    EXPECT_NE(std::string(error.what()).find("not a stegolab results database"),
              std::string::npos)
        << error.what();
  }
  const fs::path text = dir_ / "notes.db";
  std::ofstream(text) << "this is a text file, long enough to fill a SQLite header's 100 bytes "
                         "so that SQLite reads it and decides it is not a database at all.\n";
  try {
    ResultStore store(text, ResultStore::Mode::read_write);
    FAIL();
  } catch (const StoreError& error) {
    EXPECT_NE(std::string(error.what()).find("not a SQLite database"), std::string::npos)
        << error.what();
    EXPECT_NE(std::string(error.what()).find("notes.db"), std::string::npos);
  }
  try {
    ResultStore store(dir_ / "missing.db", ResultStore::Mode::read_only);
    FAIL();
  } catch (const StoreError& error) {
    EXPECT_NE(std::string(error.what()).find("does not exist"), std::string::npos);
  }
  EXPECT_FALSE(fs::exists(dir_ / "missing.db"));
}

TEST_F(ResultStoreTest, ReadOnlyOpenOfACopiedDatabaseNeverModifiesIt) {
  const fs::path original = dir_ / "r.db";
  {
    ResultStore store(original, ResultStore::Mode::read_write);
    const int64_t experiment = store.open_experiment("demo", kExperiment, false);
    store.finish_trial(store.start_trial(experiment, provenance("haar_dwt", 2, 0)), "done", "",
                       {{0, "test", "rec_psnr", 40.0}}, Throughput{});
  }  // closing the last connection checkpoints the WAL into the main file
  const fs::path copy_dir = dir_ / "copied";
  fs::create_directories(copy_dir);
  const fs::path copy = copy_dir / "r.db";
  fs::copy_file(original, copy);
  // A read-only file in a read-only folder: no -shm/-wal can be created.
  fs::permissions(copy, fs::perms::owner_read);
  fs::permissions(copy_dir, fs::perms::owner_read | fs::perms::owner_exec);
  const std::string before = read_bytes(copy);
  {
    ResultStore store(copy, ResultStore::Mode::read_only);
    const auto experiment = store.experiment("demo");
    ASSERT_EQ(store.trials(experiment.id).size(), 1u);
    EXPECT_EQ(store.final_metrics(store.trials(experiment.id)[0].id)[0].value, 40.0);
    try {
      store.record_event(1, 0, "x", "y");
      FAIL() << "a read-only store must not write";
    } catch (const StoreError& error) {
      EXPECT_NE(std::string(error.what()).find("r.db"), std::string::npos) << error.what();
    }
  }
  EXPECT_EQ(read_bytes(copy), before);
}

TEST_F(ResultStoreTest, ReadWriteOpenOfAnUnwritableFileSaysSo) {
  // root writes through file permissions, so there is nothing to observe then.
  if (geteuid() == 0) GTEST_SKIP() << "running as root: file permissions do not apply";
  const fs::path file = dir_ / "r.db";
  { ResultStore store(file, ResultStore::Mode::read_write); }
  fs::permissions(file, fs::perms::owner_read);
  try {
    ResultStore store(file, ResultStore::Mode::read_write);
    store.open_experiment("another", kExperiment, false);
    FAIL() << "writing a read-only file must fail";
  } catch (const StoreError& error) {
    EXPECT_NE(std::string(error.what()).find("read-only"), std::string::npos) << error.what();
  }
}

TEST_F(ResultStoreTest, LockedDatabaseGivesAClearErrorAfterTheBusyTimeout) {
  const fs::path file = dir_ / "r.db";
  ResultStore store(file, ResultStore::Mode::read_write);
  const int64_t experiment = store.open_experiment("demo", kExperiment, false);
  const int64_t trial = store.start_trial(experiment, provenance("haar_dwt", 2, 0));
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(file.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  const auto start = std::chrono::steady_clock::now();
  try {
    store.record_event(trial, 0, "x", "y");
    FAIL() << "a write under another writer's lock must fail";
  } catch (const StoreError& error) {
    EXPECT_NE(std::string(error.what()).find("is locked"), std::string::npos) << error.what();
  }
  // The busy timeout is 5 s: the store waited for it rather than failing at once.
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(4500));
  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
  store.record_event(trial, 0, "x", "y");  // works again once the lock is gone
  EXPECT_EQ(store.events(trial).size(), 1u);
}

}  // namespace
}  // namespace stegolab
