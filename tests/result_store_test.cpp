// ResultStore: schema, NaN handling, experiment identity, resume, read-only
// opening and the errors a user sees.
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <iterator>
#include <limits>
#include <random>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "metrics/metric_convention.hpp"
#include "spec/experiment_identity.hpp"
#include "store/database_writer_lock.hpp"
#include "store/result_store.hpp"
#include "store/sqlite_statement.hpp"
#include "support/result_store_schema_v1.hpp"

// The steganography task's declarations: a real task's conventions to store.
#include "../plugins/tasks/steganography/metric_declarations.cpp"

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
  const int64_t experiment = store.open_experiment("demo", kExperiment, false).id;
  const int64_t trial = store.start_trial(experiment, provenance("haar_dwt", 4, 0));
  const double inf = std::numeric_limits<double>::infinity();
  store.record_epoch(trial, 0, {{0, Split::train, "loss", 1.0}, {0, Split::val, "rec_psnr", 20.5}});
  store.record_epoch(trial, 1, {{1, Split::train, "loss", NAN}, {1, Split::val, "rec_psnr", inf}});
  store.record_epoch(trial, 2, {{2, Split::train, "loss", 3.0}, {2, Split::val, "rec_psnr", 30.0}});
  store.record_event(trial, 1, "divergence", "restored epoch 0 state");
  Throughput speed;
  speed.train_images_per_s = 123.5;
  speed.effective_batch = 8;
  speed.extra = {{"flops_per_image", 1e9}};
  store.finish_trial(trial, TrialStatus::done, "",
                     {{2, Split::test, "rec_psnr", 31.25}, {2, Split::test, "ber", NAN}}, speed);

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
  EXPECT_EQ(record.status, TrialStatus::done);
  EXPECT_EQ(record.last_epoch, 2);
  EXPECT_EQ(record.seed, 0xFFFFFFFFFFFFFFF0ULL);
  EXPECT_EQ(record.sweep_point.at("train.batch_size"), 4);
  EXPECT_EQ(record.plugins.at("transform").at("version"), "1.0");
  EXPECT_FALSE(record.ended_at.empty());
  ASSERT_EQ(store.events(trial).size(), 1u);
  EXPECT_EQ(store.events(trial)[0].kind, "divergence");

  // Plain SQL: NaN is NULL with is_nan = 1, so AVG skips it: (1 + 3) / 2 = 2.
  EXPECT_EQ(raw_query(file,
                      "SELECT value IS NULL AND is_nan = 1 FROM epoch_metrics "
                      "WHERE epoch = 1 AND metric = 'loss'"),
            "1");
  EXPECT_EQ(raw_query(file, "SELECT AVG(value) FROM epoch_metrics WHERE metric = 'loss'"), "2.0");
  // The documented json_extract() usage on the helper view.
  EXPECT_EQ(raw_query(file,
                      "SELECT json_extract(sweep_point, '$.\"transform.plugin\"') || ' ' || "
                      "train_images_per_s FROM trial_summary"),
            "haar_dwt 123.5");
  EXPECT_EQ(raw_query(file, "SELECT value FROM final_results WHERE metric = 'rec_psnr'"), "31.25");
  EXPECT_EQ(raw_query(file, "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(raw_query(file, "SELECT version FROM schema_version"), "4");
}

TEST_F(ResultStoreTest, AGalleryIsStoredRelativeToTheDatabaseAndReplacedPerSplit) {
  const fs::path file = dir_ / "g.db";
  ResultStore store(file, ResultStore::Mode::read_write);
  const int64_t experiment = store.open_experiment("demo", kExperiment, false).id;
  const int64_t trial = store.start_trial(experiment, provenance("haar_dwt", 4, 0));
  const fs::path pictures = dir_ / "g.runs" / "1" / "gallery" / "test";
  store.record_gallery(trial, {{Split::test, 0, 1, "b", "B", pictures / "000_b.png", 16, 8},
                               {Split::test, 0, 0, "a", "A", pictures / "000_a.png", 16, 8},
                               {Split::val, 0, 0, "a", "A", "/elsewhere/000_a.png", 4, 4}});
  EXPECT_EQ(raw_query(file, "SELECT path FROM gallery_images WHERE split = 'test' AND panel = 'a'"),
            "g.runs/1/gallery/test/000_a.png");
  EXPECT_EQ(raw_query(file, "SELECT path FROM gallery_images WHERE split = 'val'"),
            "/elsewhere/000_a.png");
  std::vector<GalleryImage> read = store.gallery(trial);
  ASSERT_EQ(read.size(), 3u);
  EXPECT_EQ(read[0].panel, "a");  // test before val; by sample, then position
  EXPECT_EQ(read[1].panel, "b");
  EXPECT_EQ(read[1].caption, "B");
  EXPECT_EQ(read[1].width, 16);
  EXPECT_EQ(read[1].height, 8);
  EXPECT_EQ(fs::weakly_canonical(read[0].path), fs::weakly_canonical(pictures / "000_a.png"));
  EXPECT_EQ(read[2].split, Split::val);
  // A new test gallery replaces the old one and keeps the other split's.
  store.record_gallery(trial, {{Split::test, 1, 0, "c", "C", pictures / "001_c.png", 16, 8}});
  read = store.gallery(trial);
  ASSERT_EQ(read.size(), 2u);
  EXPECT_EQ(read[0].panel, "c");
  EXPECT_EQ(read[1].split, Split::val);
}

TEST_F(ResultStoreTest, ExperimentIdentityFollowsTheJsonHash) {
  ResultStore store(dir_ / "r.db", ResultStore::Mode::read_write);
  const int64_t first = store.open_experiment("demo", kExperiment, false).id;
  // Same content parsed with another key order: same hash, same id.
  const auto reordered =
      nlohmann::json::parse(R"({"train": {"lr": 0.001, "epochs": 3}, "name": "demo"})");
  EXPECT_EQ(store.open_experiment("demo", reordered, false).id, first);
  EXPECT_EQ(store.open_experiment("demo", kExperiment, true).id, first);  // same hash wins

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
  const int64_t second = store.open_experiment("demo", changed, true).id;
  EXPECT_NE(second, first);
  EXPECT_EQ(store.experiment("demo").id, second);  // by name: the newest
  EXPECT_EQ(store.experiment(std::to_string(first)).id, first);
  EXPECT_THROW(store.experiment("nope"), StoreError);
}

TEST_F(ResultStoreTest, RestartingATrialReusesItsRowAndKeepsProgress) {
  ResultStore store(dir_ / "r.db", ResultStore::Mode::read_write);
  const int64_t experiment = store.open_experiment("demo", kExperiment, false).id;
  const int64_t trial = store.start_trial(experiment, provenance("ilwt53", 2, 1));
  store.set_checkpoint_dir(trial, "ckpt/t1");
  store.record_epoch(trial, 0, {{0, Split::val, "rec_psnr", 10.0}});
  store.finish_trial(trial, TrialStatus::interrupted, "SIGINT", {}, Throughput{});
  EXPECT_EQ(store.trial(trial).status, TrialStatus::interrupted);

  EXPECT_EQ(store.start_trial(experiment, provenance("ilwt53", 2, 1)), trial);
  const auto found = store.find_trial(experiment, provenance("ilwt53", 2, 1).key);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->status, TrialStatus::running);
  EXPECT_EQ(found->error, "");
  EXPECT_EQ(found->last_epoch, 0);
  EXPECT_EQ(found->checkpoint_dir, "ckpt/t1");
  EXPECT_TRUE(found->ended_at.empty());
  EXPECT_FALSE(store.find_trial(experiment, "other#r0").has_value());
  // Recording an epoch again replaces its rows instead of duplicating them.
  store.record_epoch(trial, 0, {{0, Split::val, "rec_psnr", 11.0}});
  ASSERT_EQ(store.epoch_metrics(trial).size(), 1u);
  EXPECT_EQ(store.epoch_metrics(trial)[0].value, 11.0);

  EXPECT_THROW(store.finish_trial(trial, TrialStatus::running, "", {}, Throughput{}), StoreError);
  // A split is a Split now; words from users and files go through parse_split.
  EXPECT_FALSE(parse_split("validation").has_value());
  EXPECT_EQ(parse_split("val"), Split::val);
  EXPECT_EQ(parse_trial_status("interrupted"), TrialStatus::interrupted);
  EXPECT_FALSE(parse_trial_status("finished").has_value());
  EXPECT_THROW(store.record_epoch(999, 1, {}), StoreError);
  EXPECT_THROW(store.write_conventions({{"ber", "", "", "smaller"}}), StoreError);
  store.write_conventions(
      {{"ber", "bit error rate", "", "lower"}, {"rec_psnr", "", "dB", "higher"}});
  store.write_conventions({{"ber", "bit error rate", "fraction", "lower"}});
  const auto conventions = store.conventions();
  ASSERT_EQ(conventions.size(), 2u);
  EXPECT_EQ(conventions[0].unit, "fraction");
  EXPECT_EQ(conventions[1].better, "higher");
}

TEST_F(ResultStoreTest, TrialsLeftRunningAreMarkedInterruptedWithANote) {
  ResultStore store(dir_ / "r.db", ResultStore::Mode::read_write);
  const int64_t experiment = store.open_experiment("demo", kExperiment, false).id;
  const int64_t killed = store.start_trial(experiment, provenance("haar_dwt", 2, 0));
  store.record_epoch(killed, 1, {{1, Split::val, "rec_psnr", 10.0}});
  const int64_t done = store.start_trial(experiment, provenance("ilwt53", 2, 0));
  store.finish_trial(done, TrialStatus::done, "", {}, Throughput{});

  const auto marked = store.interrupt_stale_trials("killed, says the test");
  EXPECT_EQ(marked, (std::vector<std::string>{provenance("haar_dwt", 2, 0).key}));
  const TrialRecord record = store.trial(killed);
  EXPECT_EQ(record.status, TrialStatus::interrupted);
  EXPECT_EQ(record.error, "killed, says the test");
  EXPECT_FALSE(record.ended_at.empty());
  EXPECT_EQ(record.last_epoch, 1);  // its rows stay
  ASSERT_FALSE(store.events(killed).empty());
  EXPECT_EQ(store.events(killed).back().kind, "interrupted");
  EXPECT_EQ(store.events(killed).back().epoch, 1);
  EXPECT_EQ(store.trial(done).status, TrialStatus::done);
  EXPECT_TRUE(store.interrupt_stale_trials("again").empty());
}

TEST_F(ResultStoreTest, AResumedTrialKeepsItsFirstStartAndRecordsEachAttempt) {
  ResultStore store(dir_ / "r.db", ResultStore::Mode::read_write);
  const int64_t experiment = store.open_experiment("demo", kExperiment, false).id;
  store.add_pending_trials(experiment, {provenance("haar_dwt", 2, 0)});
  const int64_t trial = store.start_trial(experiment, provenance("haar_dwt", 2, 0));
  const std::string first_start = store.trial(trial).started_at;
  ASSERT_FALSE(first_start.empty());
  EXPECT_TRUE(store.events(trial).empty());  // a pending row's first start is no resume
  store.finish_trial(trial, TrialStatus::interrupted, "SIGINT", {}, Throughput{});
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(store.start_trial(experiment, provenance("haar_dwt", 2, 0)), trial);
  EXPECT_EQ(store.trial(trial).started_at, first_start);
  const auto events = store.events(trial);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, "attempt");
  EXPECT_NE(events[0].message.find("(first start " + first_start + ")"), std::string::npos)
      << events[0].message;
  EXPECT_GT(events[0].at, first_start);
}

TEST_F(ResultStoreTest, ListsExperimentsWithTrialCounts) {
  ResultStore store(dir_ / "r.db", ResultStore::Mode::read_write);
  const int64_t experiment = store.open_experiment("demo", kExperiment, false).id;
  const int64_t a = store.start_trial(experiment, provenance("haar_dwt", 2, 0));
  store.start_trial(experiment, provenance("haar_dwt", 4, 0));
  store.finish_trial(a, TrialStatus::done, "", {}, Throughput{});
  const auto all = store.experiments();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].status_counts.at(TrialStatus::done), 1);
  EXPECT_EQ(all[0].status_counts.at(TrialStatus::running), 1);
  EXPECT_EQ(all[0].experiment, kExperiment);
  EXPECT_EQ(store.trials(experiment).size(), 2u);
}

TEST_F(ResultStoreTest, MetricsAddedAfterATrialEndedJoinItsOwn) {
  ResultStore store(dir_ / "r.db", ResultStore::Mode::read_write);
  const int64_t experiment = store.open_experiment("demo", kExperiment, false).id;
  const int64_t trial = store.start_trial(experiment, provenance("haar_dwt", 2, 0));
  store.finish_trial(trial, TrialStatus::done, "",
                     {{3, Split::test, "rec_psnr", 30.0}, {3, Split::test, "late", 1.0}},
                     Throughput{});
  // A later measurement: one new metric, one replaced, the trial's own kept.
  store.add_final_metrics(trial, {{3, Split::test, "late", 0.5}, {3, Split::test, "new", 0.75}});
  std::map<std::string, double> rows;
  for (const MetricRow& row : store.final_metrics(trial)) rows[row.metric] = row.value;
  EXPECT_EQ(rows, (std::map<std::string, double>{{"late", 0.5}, {"new", 0.75}, {"rec_psnr", 30.0}}));
  EXPECT_EQ(store.trial(trial).status, TrialStatus::done);
  EXPECT_THROW(store.add_final_metrics(trial + 100, {{0, Split::test, "new", 1.0}}), StoreError);
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
    EXPECT_NE(std::string(error.what()).find("not a stegolab results database"), std::string::npos)
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
    const int64_t experiment = store.open_experiment("demo", kExperiment, false).id;
    store.finish_trial(store.start_trial(experiment, provenance("haar_dwt", 2, 0)),
                       TrialStatus::done, "", {{0, Split::test, "rec_psnr", 40.0}}, Throughput{});
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
  const int64_t experiment = store.open_experiment("demo", kExperiment, false).id;
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

TEST_F(ResultStoreTest, TheStoredHashIsTheFnv1aOfTheIdentityThatTheSpecComputes) {
  ResultStore store(dir_ / "r.db", ResultStore::Mode::read_write);
  // FNV-1a 64 of the 12 bytes {"name":"x"}, computed independently (the
  // spec test checks the same value): a wrong offset basis gives another.
  const nlohmann::json document = {{"name", "x"}};
  store.open_experiment("x", document, false);
  EXPECT_EQ(store.experiment("x").hash, "2a0799a4152d90fc");
  EXPECT_EQ(experiment_hash(document), "2a0799a4152d90fc");
  // Description and reports are not part of it.
  EXPECT_EQ(experiment_hash({{"name", "x"}, {"description", "d"}, {"reports", {{{"rows", "a"}}}}}),
            "2a0799a4152d90fc");
}

TEST_F(ResultStoreTest, AHashMismatchWithEqualJsonIsStillTheSameExperiment) {
  const fs::path file = dir_ / "r.db";
  ResultStore store(file, ResultStore::Mode::read_write);
  const auto first = store.open_experiment("demo", nlohmann::json::parse(R"({"lr": 1.0})"), false);
  // 1 and 1.0 are equal JSON numbers but dump (and hash) differently.
  const auto again = store.open_experiment("demo", nlohmann::json::parse(R"({"lr": 1})"), false);
  EXPECT_EQ(again.id, first.id);
  EXPECT_EQ(again.outcome, ExperimentRegistration::Outcome::same);
  // A hash written by another program version is recognised through the JSON
  // and replaced by the current one.
  raw_exec(file, "UPDATE experiments SET hash = '0123456789abcdef'");
  EXPECT_EQ(store.open_experiment("demo", nlohmann::json::parse(R"({"lr": 1})"), false).id,
            first.id);
  EXPECT_EQ(store.experiment("demo").hash, experiment_hash(nlohmann::json::parse(R"({"lr": 1})")));
  EXPECT_EQ(store.experiments().size(), 1u);
}

TEST_F(ResultStoreTest, DescriptionAndReportsAreUpdatedNotPartOfTheIdentity) {
  ResultStore store(dir_ / "r.db", ResultStore::Mode::read_write);
  auto document = kExperiment;
  document["description"] = "first";
  document["reports"] = {{{"name", "a"}, {"rows", {"x"}}, {"metrics", {"ber"}}}};
  const auto first = store.open_experiment("demo", document, false);
  EXPECT_EQ(first.outcome, ExperimentRegistration::Outcome::created);
  EXPECT_FALSE(first.presentation_updated);

  document["description"] = "second";
  document["reports"][0]["name"] = "b";
  const auto edited = store.open_experiment("demo", document, false);
  EXPECT_EQ(edited.id, first.id);
  EXPECT_EQ(edited.outcome, ExperimentRegistration::Outcome::same);
  EXPECT_TRUE(edited.presentation_updated);
  // `report --all` reads the stored JSON: it now has the edited reports.
  EXPECT_EQ(store.experiment("demo").experiment.at("reports")[0].at("name"), "b");
  EXPECT_EQ(store.experiment("demo").experiment.at("description"), "second");
  EXPECT_FALSE(store.open_experiment("demo", document, false).presentation_updated);

  // A real change is refused, and the list of changes leaves them out.
  document["description"] = "third";
  document["train"]["epochs"] = 9;
  try {
    store.open_experiment("demo", document, false);
    FAIL() << "a changed definition must not be accepted silently";
  } catch (const StoreError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("changed: /train/epochs (replace)."), std::string::npos) << message;
    EXPECT_EQ(message.find("description"), std::string::npos) << message;
  }
}

TEST_F(ResultStoreTest, ForceNewRecordsANewExperimentOnlyForAChangedDefinition) {
  ResultStore store(dir_ / "r.db", ResultStore::Mode::read_write);
  const auto first = store.open_experiment("demo", kExperiment, false);
  const auto unchanged = store.open_experiment("demo", kExperiment, true);
  EXPECT_EQ(unchanged.id, first.id);
  EXPECT_EQ(unchanged.outcome, ExperimentRegistration::Outcome::same);
  auto changed = kExperiment;
  changed["train"]["epochs"] = 4;
  const auto forced = store.open_experiment("demo", changed, true);
  EXPECT_NE(forced.id, first.id);
  EXPECT_EQ(forced.outcome, ExperimentRegistration::Outcome::forced_new);
  EXPECT_EQ(forced.previous_id, first.id);
}

TEST_F(ResultStoreTest, PlannedTrialsArePendingUntilTheyStart) {
  ResultStore store(dir_ / "r.db", ResultStore::Mode::read_write);
  const int64_t experiment = store.open_experiment("demo", kExperiment, false).id;
  const int64_t done = store.start_trial(experiment, provenance("haar_dwt", 2, 0));
  store.finish_trial(done, TrialStatus::done, "", {}, Throughput{});
  store.add_pending_trials(experiment, {provenance("haar_dwt", 2, 0), provenance("ilwt53", 2, 0)});
  const auto trials = store.trials(experiment);
  ASSERT_EQ(trials.size(), 2u);
  EXPECT_EQ(trials[0].status, TrialStatus::done);  // an existing row is never reset
  EXPECT_EQ(trials[1].status, TrialStatus::pending);
  EXPECT_EQ(trials[1].seed, provenance("ilwt53", 2, 0).seed);
  EXPECT_EQ(trials[1].sweep_point.at("transform.plugin"), "ilwt53");
  EXPECT_EQ(trials[1].last_epoch, -1);
  EXPECT_EQ(store.experiments()[0].status_counts.at(TrialStatus::pending), 1);
  EXPECT_EQ(store.start_trial(experiment, provenance("ilwt53", 2, 0)), trials[1].id);
  EXPECT_EQ(store.trial(trials[1].id).status, TrialStatus::running);
}

TEST_F(ResultStoreTest, RestartingFromScratchClearsTheOldAttempt) {
  ResultStore store(dir_ / "r.db", ResultStore::Mode::read_write);
  const int64_t experiment = store.open_experiment("demo", kExperiment, false).id;
  const int64_t trial = store.start_trial(experiment, provenance("haar_dwt", 2, 0));
  for (int64_t epoch = 0; epoch < 3; ++epoch) {
    store.record_epoch(trial, epoch, {{epoch, Split::val, "rec_psnr", 10.0 + epoch}});
  }
  Throughput speed;
  speed.train_images_per_s = 5.0;
  store.finish_trial(trial, TrialStatus::failed, "diverged", {{2, Split::test, "rec_psnr", 12.0}},
                     speed);
  store.start_trial(experiment, provenance("haar_dwt", 2, 0));
  store.restart_trial(trial, "rerunning failed trial from the start");
  EXPECT_TRUE(store.epoch_metrics(trial).empty());
  EXPECT_TRUE(store.final_metrics(trial).empty());
  EXPECT_FALSE(store.throughput(trial).has_value());
  EXPECT_EQ(store.trial(trial).last_epoch, -1);
  // The second attempt's start, then the restart with its reason.
  ASSERT_EQ(store.events(trial).size(), 2u);
  EXPECT_EQ(store.events(trial)[0].kind, "attempt");
  EXPECT_EQ(store.events(trial)[1].kind, "restart");
  EXPECT_EQ(store.events(trial)[1].message, "rerunning failed trial from the start");
  EXPECT_THROW(store.restart_trial(999, "x"), StoreError);
}

// The hash version 1 wrote: FNV-1a over the whole JSON, with the offset
// basis missing a digit.
std::string version1_hash(const nlohmann::json& document) {
  uint64_t hash = 1469598103934665603ULL;
  for (const unsigned char c : document.dump()) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  char text[17];
  std::snprintf(text, sizeof text, "%016" PRIx64, hash);
  return text;
}

TEST_F(ResultStoreTest, MigratesAVersion1DatabaseKeepingItsData) {
  const fs::path file = dir_ / "old.db";
  auto document = kExperiment;
  document["reports"] = nlohmann::json::array();
  raw_exec(file, std::string("PRAGMA journal_mode = WAL;") + test::kResultStoreSchemaV1);
  raw_exec(file, "INSERT INTO experiments (name, json, hash, created) VALUES ('demo', '" +
                     document.dump() + "', '" + version1_hash(document) +
                     "', '2024-01-01T00:00:00Z');"
                     "INSERT INTO trials (experiment_id, key, status, last_epoch, sweep_point) "
                     "VALUES (1, 'transform.plugin=haar_dwt#r0', 'done', 4, "
                     "'{\"transform.plugin\":\"haar_dwt\"}');"
                     "INSERT INTO final_metrics VALUES (1, 'test', 'rec_psnr', 33.5, 0);"
                     "INSERT INTO final_metrics VALUES (1, 'test', 'ber', NULL, 1);"
                     "INSERT INTO metric_conventions VALUES "
                     "('ber', 'bit error rate', 'fraction', 'lower'),"
                     "('rec_psnr_y', 'luma PSNR', 'dB', 'higher');");
  {
    // Read-only commands read version 1 as it is, without writing.
    const std::string before = read_bytes(file);
    ResultStore store(file, ResultStore::Mode::read_only);
    EXPECT_EQ(store.trials(1).at(0).status, TrialStatus::done);
    // Read as it is: no trials.kind before version 4, every trial trained.
    EXPECT_EQ(store.trials(1).at(0).kind, "trained");
    EXPECT_EQ(read_bytes(file), before);
  }
  {
    ResultStore store(file, ResultStore::Mode::read_write);
    // The data is kept...
    const auto trial = store.trials(1).at(0);
    EXPECT_EQ(trial.key, "transform.plugin=haar_dwt#r0");
    EXPECT_EQ(trial.kind, "trained");  // the column's default for the trials of old files
    EXPECT_EQ(trial.last_epoch, 4);
    const auto finals = store.final_metrics(trial.id);
    ASSERT_EQ(finals.size(), 2u);
    EXPECT_TRUE(std::isnan(finals[0].value));
    EXPECT_EQ(finals[1].value, 33.5);
    EXPECT_EQ(store.conventions().size(), 2u);
    // ...the experiment is recognised (its old hash replaced) so that its
    // trials resume rather than being refused as a changed definition...
    EXPECT_EQ(store.experiment("demo").hash, experiment_hash(document));
    EXPECT_EQ(store.open_experiment("demo", document, false).id, 1);
  }
  // ...and the new columns are filled for the conventions it held.
  EXPECT_EQ(raw_query(file, "SELECT version FROM schema_version"), "4");
  EXPECT_EQ(raw_query(file,
                      "SELECT range_min || '-' || range_max || ' ' || quote(colour_space) "
                      "|| ' ' || quote(quantised) FROM metric_conventions "
                      "WHERE metric = 'ber'"),
            "0.0-1.0 'RGB' 1");
  EXPECT_EQ(raw_query(file,
                      "SELECT quote(range_min) || ' ' || colour_space || ' ' || quantised "
                      "FROM metric_conventions WHERE metric = 'rec_psnr_y'"),
            "0.0 Y 1");
}

TEST_F(ResultStoreTest, ConventionsAreQueryableByRangeColourSpaceAndQuantisation) {
  const fs::path file = dir_ / "r.db";
  ResultStore store(file, ResultStore::Mode::read_write);
  store.write_conventions(experiment_conventions(steganography::metric_declarations()));
  EXPECT_EQ(raw_query(file,
                      "SELECT group_concat(metric, ' ') FROM (SELECT metric FROM "
                      "metric_conventions WHERE colour_space = 'Y' ORDER BY metric)"),
            // Secrets 1..4 (issue 18) are declared per secret beside their mean.
            "hide_psnr_y hide_psnr_y_float hide_psnr_y_matlab rec_psnr_y rec_psnr_y@<attack> "
            "rec_psnr_y_1 rec_psnr_y_1_float rec_psnr_y_2 rec_psnr_y_2_float rec_psnr_y_3 "
            "rec_psnr_y_3_float rec_psnr_y_4 rec_psnr_y_4_float rec_psnr_y_float "
            "rec_psnr_y_matlab rec_psnr_y_matlab@<attack> rec_psnr_y_matlab_1 "
            "rec_psnr_y_matlab_2 rec_psnr_y_matlab_3 rec_psnr_y_matlab_4");
  EXPECT_EQ(raw_query(file,
                      "SELECT group_concat(metric, ' ') FROM (SELECT metric FROM "
                      "metric_conventions WHERE quantised = 0 AND metric LIKE 'rec_%' "
                      "ORDER BY metric)"),
            "rec_mae_1_float rec_mae_2_float rec_mae_3_float rec_mae_4_float rec_mae_float "
            "rec_psnr_1_float rec_psnr_2_float rec_psnr_3_float rec_psnr_4_float "
            "rec_psnr_float rec_psnr_y_1_float rec_psnr_y_2_float rec_psnr_y_3_float "
            "rec_psnr_y_4_float rec_psnr_y_float rec_rmse_1_float rec_rmse_2_float "
            "rec_rmse_3_float rec_rmse_4_float rec_rmse_float rec_ssim_1_float "
            "rec_ssim_2_float rec_ssim_3_float rec_ssim_4_float rec_ssim_float");
  EXPECT_EQ(raw_query(file,
                      "SELECT range_min || '-' || range_max FROM metric_conventions "
                      "WHERE metric = 'hide_mae'"),
            "0.0-255.0");
  EXPECT_EQ(
      raw_query(file,
                "SELECT range_min || '-' || range_max || ' ' || quantised FROM metric_conventions "
                "WHERE metric = 'rec_psnr_float'"),
      "0.0-100.0 0");
  // BER compares 8-bit values on the float path too.
  EXPECT_EQ(raw_query(file, "SELECT quantised FROM metric_conventions WHERE metric = 'ber_float'"),
            "1");
  // Not an image metric: no colour space, no quantisation.
  EXPECT_EQ(raw_query(file,
                      "SELECT quote(colour_space) || quote(quantised) FROM "
                      "metric_conventions WHERE metric = 'loss'"),
            "NULLNULL");
}

TEST_F(ResultStoreTest, AFailedBindIsAnErrorNotANullValue) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "b.db").c_str(), &db), SQLITE_OK);
  {
    SqliteStatement statement(db, dir_ / "b.db", "SELECT ?1");
    statement.bind(1, int64_t{4});
    try {
      statement.bind(2, std::string("x"));
      FAIL() << "binding a parameter the statement does not have must fail";
    } catch (const StoreError& error) {
      EXPECT_NE(std::string(error.what()).find("binding parameter 2"), std::string::npos)
          << error.what();
    }
    EXPECT_THROW(statement.bind(0, 1.5), StoreError);
    EXPECT_THROW(statement.bind_null(3), StoreError);
  }
  sqlite3_close(db);
}

// Every SQLite connection the process opens from now on gets this page
// limit, as a full disk would impose one; 0 turns it off.
std::atomic<int> g_max_pages{0};
int limit_pages(sqlite3* db, const char**, const struct sqlite3_api_routines*) {
  if (g_max_pages > 0) {
    const std::string pragma = "PRAGMA max_page_count = " + std::to_string(g_max_pages.load());
    sqlite3_exec(db, pragma.c_str(), nullptr, nullptr, nullptr);
  }
  return SQLITE_OK;
}

TEST_F(ResultStoreTest, AFullDiskRollsBackTheWholeEpochAndSaysSo) {
  const fs::path file = dir_ / "r.db";
  int64_t trial = 0;
  {
    ResultStore store(file, ResultStore::Mode::read_write);
    const int64_t experiment = store.open_experiment("demo", kExperiment, false).id;
    trial = store.start_trial(experiment, provenance("haar_dwt", 2, 0));
    store.record_epoch(trial, 0, {{0, Split::val, "rec_psnr", 10.0}});
  }
  const int pages = std::stoi(raw_query(file, "PRAGMA page_count"));
  g_max_pages = pages + 2;
  ASSERT_EQ(sqlite3_auto_extension(reinterpret_cast<void (*)()>(limit_pages)), SQLITE_OK);
  std::string message;
  {
    ResultStore store(file, ResultStore::Mode::read_write);
    // Many rows with long names: more than two more pages.
    std::vector<MetricRow> rows;
    for (int i = 0; i < 400; ++i) {
      rows.push_back({1, Split::val, "metric_with_a_long_name_" + std::to_string(i), 1.0 * i});
    }
    try {
      store.record_epoch(trial, 1, rows);
    } catch (const StoreError& error) {
      message = error.what();
    }
    // The store is still usable for what fits.
    store.record_event(trial, 1, "note", "after the full disk");
  }
  sqlite3_cancel_auto_extension(reinterpret_cast<void (*)()>(limit_pages));
  g_max_pages = 0;
  // Epochs as users count them: the rows of 0-based epoch 1 are epoch 2's.
  EXPECT_NE(message.find("disk full while recording epoch 2 of trial " + std::to_string(trial)),
            std::string::npos)
      << message;
  EXPECT_NE(message.find(file.string()), std::string::npos) << message;
  EXPECT_NE(message.find("rolled back"), std::string::npos) << message;
  // Nothing of epoch 1, and last_epoch still says 0.
  EXPECT_EQ(raw_query(file, "SELECT count(*) FROM epoch_metrics WHERE epoch = 1"), "0");
  EXPECT_EQ(raw_query(file, "SELECT count(*) FROM epoch_metrics"), "1");
  EXPECT_EQ(raw_query(file, "SELECT last_epoch FROM trials"), "0");
  EXPECT_EQ(raw_query(file, "SELECT count(*) FROM events"), "1");
}

TEST_F(ResultStoreTest, OneWriterLockPerDatabase) {
  const fs::path file = dir_ / "r.db";
  {
    DatabaseWriterLock first(file);
    try {
      DatabaseWriterLock second(file);
      FAIL() << "a second writer must be refused";
    } catch (const StoreError& error) {
      const std::string message = error.what();
      EXPECT_NE(message.find("'" + file.string() + "'"), std::string::npos) << message;
      EXPECT_NE(message.find("(pid " + std::to_string(getpid()) + ")"), std::string::npos)
          << message;
    }
    // Readers and the database itself are not affected.
    ResultStore store(file, ResultStore::Mode::read_write);
  }
  DatabaseWriterLock again(file);  // released with the first
  EXPECT_TRUE(fs::exists(DatabaseWriterLock::lock_file(file)));
}

// The lock holds for the file, not for the name: a symlink (even one made
// before the database exists) and a hard link in another folder meet it,
// and the refusal names the other writer's name.
TEST_F(ResultStoreTest, OneWriterLockPerFileWhateverItsName) {
  const fs::path file = dir_ / "r.db";
  fs::create_directories(dir_ / "other");
  const fs::path symlink = dir_ / "other" / "link.db";
  const fs::path hard_link = dir_ / "other" / "hard.db";
  fs::create_symlink(file, symlink);
  const auto refused = [](const fs::path& name) -> std::string {
    try {
      DatabaseWriterLock second(name);
    } catch (const StoreError& error) {
      return error.what();
    }
    return "";
  };
  const std::string pid = "(pid " + std::to_string(getpid()) + ")";
  {
    DatabaseWriterLock first(symlink);  // before the database exists
    EXPECT_FALSE(fs::exists(file));
    const std::string by_target = refused(file);
    EXPECT_NE(by_target.find("'" + file.string() + "' (the same file as '" + symlink.string() +
                             "') is being written by another stegolab run " + pid),
              std::string::npos)
        << by_target;
    std::ofstream(file).close();  // as the store creates it
    first.lock_created_file();
    fs::create_hard_link(file, hard_link);
    const std::string by_hard_link = refused(hard_link);
    EXPECT_NE(by_hard_link.find("'" + hard_link.string() + "' (the same file as '" +
                                symlink.string() + "')"),
              std::string::npos)
        << by_hard_link;
  }
  {
    DatabaseWriterLock first(hard_link);
    EXPECT_NE(refused(file).find("(the same file as '" + hard_link.string() + "')"),
              std::string::npos);
    EXPECT_NE(refused(symlink).find(pid), std::string::npos);
  }
  DatabaseWriterLock again(file);  // all released
}

TEST_F(ResultStoreTest, AReadOnlyOpenThatCannotUseTheWalFileWarns) {
  const fs::path original = dir_ / "r.db";
  {
    ResultStore(original, ResultStore::Mode::read_write)
        .open_experiment("demo", kExperiment, false);
  }
  const fs::path copy_dir = dir_ / "copied";
  fs::create_directories(copy_dir);
  {
    // This trial is only in the -wal file while the writer is open.
    ResultStore writer(original, ResultStore::Mode::read_write);
    writer.start_trial(1, provenance("haar_dwt", 2, 0));
    ASSERT_GT(fs::file_size(original.string() + "-wal"), 0u);
    fs::copy_file(original, copy_dir / "r.db");
    fs::copy_file(original.string() + "-wal", copy_dir / "r.db-wal");
  }
  // A -shm that cannot be created, as in a read-only folder (which root
  // would write anyway): SQLite cannot use the -wal file.
  fs::create_symlink("/nonexistent-folder/r.db-shm", copy_dir / "r.db-shm");
  ResultStore store(copy_dir / "r.db", ResultStore::Mode::read_only);
  EXPECT_EQ(store.experiment("demo").id, 1);
  EXPECT_TRUE(store.trials(1).empty());  // the trial is what it cannot see
  ASSERT_EQ(store.warnings().size(), 1u);
  EXPECT_NE(store.warnings()[0].find("r.db-wal"), std::string::npos) << store.warnings()[0];
  EXPECT_NE(store.warnings()[0].find("recent writes may be missing"), std::string::npos)
      << store.warnings()[0];
  // A database opened normally has nothing to warn about.
  EXPECT_TRUE(ResultStore(original, ResultStore::Mode::read_only).warnings().empty());
}

}  // namespace
}  // namespace stegolab
