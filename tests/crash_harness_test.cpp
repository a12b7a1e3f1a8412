// The crash harness: a tiny deterministic sweep is killed with SIGKILL at 20
// random moments (mid-step, mid-checkpoint, mid-commit: wherever the clock
// falls) and rerun each time. After every kill the database must hold
// together: integrity_check ok, no trial twice, each trial's epochs 0..last
// without a gap and each epoch whole, every done trial complete. At the end
// every stored number that does not measure time equals an uninterrupted
// run's, bit for bit.
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support/build_locations.hpp"
#include "plugin_host/plugin_registry.hpp"
#include "support/tiny_run_plugins.hpp"
#include "store/result_store.hpp"

namespace stegolab {
namespace {

using Clock = std::chrono::steady_clock;
constexpr int kKills = 20;
constexpr int kEpochs = 8;

// The rows a query returns, each as "a|b|c" with numbers printed exactly.
std::vector<std::string> query(const std::filesystem::path& file, const std::string& sql) {
  sqlite3* db = nullptr;
  std::vector<std::string> rows;
  if (sqlite3_open(file.c_str(), &db) != SQLITE_OK) {
    ADD_FAILURE() << "cannot open " << file << ": " << sqlite3_errmsg(db);
    sqlite3_close(db);
    return rows;
  }
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db);
  }
  while (statement != nullptr && sqlite3_step(statement) == SQLITE_ROW) {
    std::string row;
    for (int c = 0; c < sqlite3_column_count(statement); ++c) {
      if (c > 0) row += "|";
      if (sqlite3_column_type(statement, c) == SQLITE_FLOAT) {
        char text[40];
        std::snprintf(text, sizeof text, "%.17g", sqlite3_column_double(statement, c));
        row += text;
      } else if (const unsigned char* text = sqlite3_column_text(statement, c)) {
        row += reinterpret_cast<const char*>(text);
      }
    }
    rows.push_back(row);
  }
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return rows;
}

// What must hold after any kill.
void expect_consistent(const std::filesystem::path& db, const std::string& when) {
  EXPECT_EQ(query(db, "PRAGMA integrity_check"), std::vector<std::string>{"ok"}) << when;
  EXPECT_EQ(query(db, "SELECT key FROM trials GROUP BY experiment_id, key HAVING count(*) > 1"),
            std::vector<std::string>{})
      << when << ": a trial recorded twice";
  // Epochs 0..last_epoch, each present, none beyond.
  EXPECT_EQ(query(db,
                  "SELECT t.key FROM trials t LEFT JOIN epoch_metrics e ON e.trial_id = t.id "
                  "GROUP BY t.id HAVING count(DISTINCT e.epoch) != t.last_epoch + 1 "
                  "OR coalesce(max(e.epoch), -1) != t.last_epoch"),
            std::vector<std::string>{})
      << when << ": a gap in the epochs, or rows beyond last_epoch";
  // Every epoch whole: as many rows as any other epoch of the sweep.
  EXPECT_LE(query(db,
                  "SELECT DISTINCT n FROM (SELECT count(*) AS n FROM epoch_metrics "
                  "GROUP BY trial_id, epoch)")
                .size(),
            1u)
      << when << ": an epoch with some of its rows";
  EXPECT_EQ(query(db,
                  "SELECT key FROM trials t WHERE status = 'done' AND (last_epoch != " +
                      std::to_string(kEpochs - 1) +
                      " OR NOT EXISTS (SELECT 1 FROM final_metrics f WHERE f.trial_id = t.id) "
                      "OR NOT EXISTS (SELECT 1 FROM throughput p WHERE p.trial_id = t.id))"),
            std::vector<std::string>{})
      << when << ": a done trial without all its results";
}

// How far the sweep is: each trial's status and last recorded epoch.
std::vector<std::string> progress(const std::filesystem::path& db) {
  if (!std::filesystem::exists(db)) return {};
  return query(db, "SELECT key, status, last_epoch FROM trials ORDER BY key");
}

// Every number of every trial that does not measure time, by trial key.
std::vector<std::string> results_of(const std::filesystem::path& db) {
  const std::string timing =
      "('images_per_s', 'step_time_ms', 'data_wait_ms', 'data_images_per_s')";
  std::vector<std::string> rows = query(
      db, "SELECT t.key, e.epoch, e.split, e.metric, e.value FROM epoch_metrics e JOIN trials t "
          "ON t.id = e.trial_id WHERE e.metric NOT IN " + timing + " ORDER BY 1, 2, 3, 4");
  for (const std::string& row : query(
           db, "SELECT t.key, f.split, f.metric, f.value FROM final_metrics f JOIN trials t "
               "ON t.id = f.trial_id WHERE f.metric NOT IN " + timing + " ORDER BY 1, 2, 3")) {
    rows.push_back("final|" + row);
  }
  for (const std::string& row :
       query(db, "SELECT t.key, p.effective_batch, json_extract(p.extra, '$.train_split_size') "
                 "FROM throughput p JOIN trials t ON t.id = p.trial_id ORDER BY 1")) {
    rows.push_back("throughput|" + row);
  }
  return rows;
}

class CrashHarness : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const std::string missing = missing_tiny_run_plugin(); !missing.empty())
      GTEST_SKIP() << "plugin " << missing << " is not in this build";
    dir_ = std::filesystem::path(STEGOLAB_TEST_BUILD_DIR) / "crash_harness_test";
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    const nlohmann::json experiment = {
        {"name", "crash"},
        {"data",
         {{"plugin", "synthetic"},
          {"params", {{"size", 16}, {"count", 32}}},
          {"split", {{"train", 0.5}, {"val", 0.25}, {"test", 0.25}}}}},
        {"transform", {{"plugin", "haar_dwt"}}},
        {"model", {{"plugin", "star_inn"}, {"params", {{"blocks", 1}, {"hidden", 8}}}}},
        {"loss", {{"plugin", "stego_loss"}, {"params", nlohmann::json::object()}}},
        {"train",
         {{"epochs", kEpochs}, {"batch_size", 4}, {"device", "cpu"}, {"seed", 7},
          {"deterministic", true}}},
        {"eval", {{"batch_size", 8}}},
        {"sweep", {{"axes", {{"train.optimizer.lr", {1e-3, 2e-3}}}}}}};
    std::ofstream(dir_ / "crash.json") << experiment.dump(2);
  }

  // Starts `stegolab run` on `db` in the background, its output appended to
  // <db>.log.
  pid_t start(const std::string& db) const {
    const std::string line = std::string("exec ") + STEGOLAB_TEST_BINARY + " run " +
                             (dir_ / "crash.json").string() + " --db " + (dir_ / db).string() +
                             " --threads 1 >> " + log(db).string() + " 2>&1";
    const pid_t pid = fork();
    if (pid == 0) {
      execl("/bin/sh", "sh", "-c", line.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    return pid;
  }

  std::filesystem::path log(const std::string& db) const { return dir_ / (db + ".log"); }

  std::string log_text(const std::string& db, std::uintmax_t offset = 0) const {
    std::ifstream in(log(db));
    in.seekg(static_cast<std::streamoff>(offset));
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }

  // Waits until the log, past `offset`, says that a trial began (or that the
  // run is over): loading LibTorch and the plugins takes most of a tiny
  // run, and a kill there would test nothing.
  void wait_for_a_trial(const std::string& db, std::uintmax_t offset) const {
    const auto deadline = Clock::now() + std::chrono::seconds(30);
    while (Clock::now() < deadline) {
      const std::string text = log_text(db, offset);
      if (text.find("(trial ") != std::string::npos || text.find(" trials: ") != std::string::npos)
        return;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }

  std::filesystem::path dir_;
};

// Waits for `pid`; true when SIGKILL ended it (it was still running).
bool killed(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
}

int exit_code(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST_F(CrashHarness, TwentyKillsLeaveAConsistentDatabaseAndTheUninterruptedResults) {
  const pid_t reference_run = start("reference.db");
  wait_for_a_trial("reference.db", 0);
  const auto training_began = Clock::now();
  ASSERT_EQ(exit_code(reference_run), 0);
  const double training = std::chrono::duration<double>(Clock::now() - training_began).count();
  const std::vector<std::string> reference = results_of(dir_ / "reference.db");
  ASSERT_FALSE(reference.empty());

  // Seeded, so that a failure can be repeated. A kill comes at a random
  // moment within a window after its run began a trial: a sixth of an
  // uninterrupted run's training, widened by half after each kill that
  // left the sweep where it was (an attempt keeps only its completed
  // epochs), so that the kills land all along the sweep, whatever the
  // machine's speed.
  RecordProperty("reference_training_ms", static_cast<int>(training * 1000));
  std::mt19937 engine(20261206);
  const double first_window = training / 6.0;
  double window = first_window;
  int landed = 0;
  for (int kill_number = 1; kill_number <= kKills; ++kill_number) {
    const std::vector<std::string> before = progress(dir_ / "crash.db");
    const std::uintmax_t offset = log_text("crash.db").size();
    const pid_t pid = start("crash.db");
    wait_for_a_trial("crash.db", offset);
    std::uniform_real_distribution<double> moment(0.0, window);
    std::this_thread::sleep_for(std::chrono::duration<double>(moment(engine)));
    kill(pid, SIGKILL);
    if (killed(pid)) ++landed;
    expect_consistent(dir_ / "crash.db", "after kill " + std::to_string(kill_number));
    if (HasFailure()) break;
    window = progress(dir_ / "crash.db") == before ? window * 1.5 : first_window;
  }
  // Not vacuous: most kills interrupted a trial, and later runs resumed.
  RecordProperty("kills_that_interrupted_a_run", landed);
  EXPECT_GE(landed, kKills / 2);
  const std::string attempts = log_text("crash.db");
  int resumed = 0;
  for (std::size_t at = attempts.find("resuming interrupted trial"); at != std::string::npos;
       at = attempts.find("resuming interrupted trial", at + 1)) {
    ++resumed;
  }
  RecordProperty("resumed_from_a_checkpoint", resumed);
  EXPECT_GE(resumed, kKills / 4) << attempts;
  ASSERT_EQ(exit_code(start("crash.db")), 0);
  expect_consistent(dir_ / "crash.db", "after the final run");
  EXPECT_EQ(query(dir_ / "crash.db", "SELECT count(*) FROM trials WHERE status = 'done'"),
            std::vector<std::string>{"2"});
  EXPECT_EQ(results_of(dir_ / "crash.db"), reference);
  // No temporary left beside any checkpoint.
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir_ / "crash.runs")) {
    EXPECT_NE(entry.path().filename().string().front(), '.') << entry.path();
  }
}

}  // namespace
}  // namespace stegolab
