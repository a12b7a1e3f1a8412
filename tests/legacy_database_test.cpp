// A schema-v2 database written by the stegolab before the task seam (commit
// 7af996c; tests/data/schema_v2/README.md says how it was made) opens,
// reports and exports exactly as that version printed it, and `stegolab run`
// resumes it: the trial it adds gives the numbers of a fresh deterministic run
// (since SDK API 4 not 7af996c's: README.md there).
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "support/build_locations.hpp"
#include "support/test_folder.hpp"

namespace {

namespace fs = std::filesystem;

const fs::path kData = fs::path(STEGOLAB_SOURCE_DIR) / "tests" / "data" / "schema_v2";

std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

struct CommandResult {
  int status = -1;
  std::string out;  // stdout, and stderr with `with_stderr`
};

CommandResult stegolab(const std::string& arguments, bool with_stderr = false) {
  CommandResult result;
  const std::string command = std::string(STEGOLAB_TEST_BINARY) + " " + arguments +
                              (with_stderr ? " 2>&1" : " 2>/dev/null");
  FILE* pipe = popen(command.c_str(), "r");
  std::array<char, 4096> buffer{};
  size_t count = 0;
  while ((count = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
    result.out.append(buffer.data(), count);
  }
  const int status = pclose(pipe);
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

class LegacyDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = stegolab::testing::make_test_folder("stegolab_legacy");
    database_ = dir_ / "v2.db";
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(database_.c_str(), &db), SQLITE_OK);
    char* error = nullptr;
    const int rc =
        sqlite3_exec(db, read_file(kData / "tiny_v2.sql").c_str(), nullptr, nullptr, &error);
    const std::string message = error ? error : "";
    sqlite3_free(error);
    sqlite3_close(db);
    ASSERT_EQ(rc, SQLITE_OK) << message;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string db() const { return "--db '" + database_.string() + "'"; }

  fs::path dir_;
  fs::path database_;
};

TEST_F(LegacyDatabaseTest, ReportsAndResultsReadAsTheyDidBefore) {
  const auto report = stegolab("report --all " + db());
  ASSERT_EQ(report.status, 0);
  EXPECT_EQ(report.out, read_file(kData / "expected_report_partial.md"));
  const auto list = stegolab("results list " + db());
  ASSERT_EQ(list.status, 0);
  EXPECT_EQ(list.out, read_file(kData / "expected_results_list.txt"));
  const auto show = stegolab("results show tiny_v2 " + db());
  ASSERT_EQ(show.status, 0);
  EXPECT_EQ(show.out, read_file(kData / "expected_results_show.txt"));
  const auto csv = stegolab("results export --format csv --layout wide " + db());
  ASSERT_EQ(csv.status, 0);
  EXPECT_EQ(csv.out, read_file(kData / "expected_export_wide.csv"));
}

TEST_F(LegacyDatabaseTest, RunResumesItAndTheNewTrialHasTheNumbersOfAFreshRun) {
  const auto run = stegolab("run '" + (kData / "tiny.json").string() + "' " + db(), true);
  ASSERT_EQ(run.status, 0) << run.out;
  // The same experiment (no second one registered), the finished trial kept.
  EXPECT_NE(run.out.find("done already, skipped"), std::string::npos) << run.out;
  const auto list = stegolab("results list " + db());
  EXPECT_NE(list.out.find("tiny_v2"), std::string::npos);
  EXPECT_EQ(list.out.find("\n2 "), std::string::npos) << list.out;
  const auto report = stegolab("report --all " + db());
  ASSERT_EQ(report.status, 0);
  EXPECT_EQ(report.out, read_file(kData / "expected_report_full.md"));
  // The new trial's size is recorded and shown, and its epochs count from 1.
  const auto trial = stegolab("results trial 2 " + db());
  ASSERT_EQ(trial.status, 0);
  EXPECT_NE(trial.out.find("  parameters = "), std::string::npos) << trial.out;
  EXPECT_NE(trial.out.find("  gflops_per_sample = "), std::string::npos) << trial.out;
  EXPECT_NE(trial.out.find("  last epoch    2 (epochs count from 1)"), std::string::npos)
      << trial.out;
}

}  // namespace
