// `stegolab run`: thread count, signals, the dry-run listing, the command's
// errors, and (once the trainer, the store and the plugins are in the build)
// a tiny real sweep: database rows, skip on rerun, SIGINT and resume.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <sys/wait.h>
#include <unistd.h>

#include "plugin_host/plugin_registry.hpp"
#include "run/interrupt_handlers.hpp"
#include "run/sweep_runner.hpp"
#include "run/thread_count.hpp"
#include "run/trial_plan.hpp"
#include "spec/experiment_spec.hpp"
#include "stegolab/errors.hpp"

#include "store/result_store.hpp"

namespace stegolab {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

struct CommandResult {
  int status = -1;
  std::string output;  // stdout and stderr together
};

CommandResult run_shell(const std::string& command) {
  CommandResult result;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  std::array<char, 4096> buffer{};
  size_t count = 0;
  while ((count = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) result.output.append(buffer.data(), count);
  const int status = pclose(pipe);
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

TEST(ThreadCount, OptionBeatsEnvironmentBeatsExperimentBeatsHardware) {
  EXPECT_EQ(resolve_thread_count(3, "5", 7), 3);
  EXPECT_EQ(resolve_thread_count(std::nullopt, "5", 7), 5);
  EXPECT_EQ(resolve_thread_count(std::nullopt, nullptr, 7), 7);
  EXPECT_EQ(resolve_thread_count(std::nullopt, "", 7), 7);
  EXPECT_GE(resolve_thread_count(std::nullopt, nullptr, 0), 1);
}

TEST(ThreadCount, BadValuesNameTheirSource) {
  try {
    resolve_thread_count(std::nullopt, "four", 0);
    FAIL() << "expected an Error";
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()), "STEGOLAB_THREADS: expected a positive integer, got \"four\"");
  }
  EXPECT_THROW(resolve_thread_count(std::nullopt, "0", 0), Error);
  EXPECT_THROW(resolve_thread_count(std::nullopt, "2x", 0), Error);
  EXPECT_THROW(resolve_thread_count(0, nullptr, 0), Error);
}

TEST(InterruptHandlers, FirstSignalSetsTheFlagSecondExits130) {
  {
    InterruptHandlers handlers;
    EXPECT_FALSE(handlers.interrupted());
    std::raise(SIGTERM);  // the process survives: the handler only sets the flag
    EXPECT_TRUE(handlers.interrupted());
  }
  EXPECT_EXIT(
      {
        InterruptHandlers handlers;
        std::raise(SIGINT);
        std::raise(SIGINT);
        std::_Exit(0);  // not reached when the second signal exits
      },
      ::testing::ExitedWithCode(130), "");
}

// A catalog with one plugin per kind, none with parameters.
class BareCatalog : public PluginCatalog {
 public:
  const PluginInfo& info(const std::string& kind, const std::string& name) const override {
    static PluginInfo info;
    info.kind = kind;
    info.name = name;
    if (name != "p") throw Error("unknown " + kind + " '" + name + "'; known: p");
    return info;
  }
  json resolve_params(const std::string&, const std::string&, const json& params) const override { return params; }
};

TEST(TrialPlan, ListsSeedSweepValuesAndKeyOfTheSelectedTrials) {
  const json document = {{"name", "plan"},
                         {"data", {{"plugin", "p"}}},
                         {"transform", {{"plugin", "p"}}},
                         {"model", {{"plugin", "p"}}},
                         {"loss", {{"plugin", "p"}}},
                         {"strategy", {{"plugin", "p"}}},
                         {"train", {{"seed", 5}}},
                         {"sweep", {{"axes", {{"train.batch_size", {4, 16}}}}, {"repeats", 2}}}};
  const BareCatalog catalog;
  const ExperimentSpec spec = parse_experiment(document.dump(), "plan.json", catalog);
  std::ostringstream out;
  print_trial_plan(spec, "#r1", out);
  // Repeat 1 of both points: seed 5 + 1; columns padded to the widest cell.
  EXPECT_EQ(out.str(),
            "experiment plan (plan.json, hash " + spec.hash + "): 2 of 4 trials selected by --only \"#r1\"\n"
            "  # seed train.batch_size key\n"
            "  1 6    4                train.batch_size=4#r1\n"
            "  2 6    16               train.batch_size=16#r1\n");
}

TEST(RunCommand, ReportsAMissingExperimentFileOnOneLine) {
  const auto result = run_shell(std::string(STEGOLAB_TEST_BINARY) + " run no_such_experiment.json --dry-run");
  EXPECT_EQ(result.status, 1);
  EXPECT_EQ(result.output,
            "stegolab run: error: no_such_experiment.json: cannot read the experiment file (does it exist?)\n");
}

TEST(RunCommand, RejectsAnUnknownDevice) {
  const auto result = run_shell(std::string(STEGOLAB_TEST_BINARY) + " run x.json --device gpu");
  EXPECT_EQ(result.status, 1);
  EXPECT_THAT(result.output, HasSubstr("--device: expected cpu or cuda, got \"gpu\""));
}


TEST(RunFolder, SitsNextToTheDatabase) {
  EXPECT_EQ(run_folder("results/x.db"), std::filesystem::path("results/x.runs"));
  EXPECT_EQ(run_folder("out/y.sqlite"), std::filesystem::path("out/y.sqlite.runs"));
}

// A tiny real experiment: 2 trials (2 transforms), 16 px, 1 block, hidden 8.
class TinyRun : public ::testing::Test {
 protected:
  void SetUp() override {
    PluginRegistry registry;
    registry.discover({STEGOLAB_TEST_PLUGIN_DIR});
    for (const char* name : {"synthetic", "haar_dwt", "star_inn", "stego_loss", "standard"}) {
      if (!registry.find_any_kind(name)) GTEST_SKIP() << "plugin " << name << " is not in this build";
    }
    dir_ = std::filesystem::path(STEGOLAB_TEST_BUILD_DIR) / "run_test" /
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    experiment_ = dir_ / "tiny.json";
    database_ = dir_ / "tiny.db";
  }

  void write_experiment(int epochs, int count) {
    const json document = {
        {"name", "tiny"},
        {"data", {{"plugin", "synthetic"}, {"params", {{"size", 16}, {"count", count}}},
                  {"split", {{"train", 0.5}, {"val", 0.25}, {"test", 0.25}}}}},
        {"transform", {{"plugin", "haar_dwt"}}},
        {"model", {{"plugin", "star_inn"}, {"params", {{"blocks", 1}, {"hidden", 8}}}}},
        {"train", {{"epochs", epochs}, {"batch_size", 4}, {"device", "cpu"}, {"seed", 3}}},
        {"eval", {{"batch_size", 8}}},
        {"sweep", {{"axes", {{"train.optimizer.lr", {1e-3, 2e-3}}}}}}};
    std::ofstream(experiment_) << document.dump(2);
  }

  std::string command(const std::string& extra = "") const {
    return std::string(STEGOLAB_TEST_BINARY) + " run " + experiment_.string() + " --db " + database_.string() +
           " --threads 1 " + extra;
  }

  std::filesystem::path dir_, experiment_, database_;
};

TEST_F(TinyRun, RecordsTrialsAndSkipsThemOnRerun) {
  write_experiment(2, 16);
  const auto first = run_shell(command());
  ASSERT_EQ(first.status, 0) << first.output;
  {
    ResultStore store(database_, ResultStore::Mode::read_only);
    const auto experiment = store.experiment("tiny");
    const auto trials = store.trials(experiment.id);
    ASSERT_EQ(trials.size(), 2u);
    for (const auto& trial : trials) {
      EXPECT_EQ(trial.status, "done");
      EXPECT_EQ(trial.last_epoch, 1);  // 2 epochs, 0-based
      EXPECT_EQ(trial.seed, 3u);
      EXPECT_EQ(trial.device, "cpu");
      EXPECT_EQ(trial.plugins.at("model").at("name"), "star_inn");
      EXPECT_TRUE(std::filesystem::exists(run_folder(database_) / std::to_string(trial.id)));
      bool has_test_psnr = false;
      for (const auto& row : store.final_metrics(trial.id)) has_test_psnr |= row.split == "test" && row.metric == "rec_psnr";
      EXPECT_TRUE(has_test_psnr);
    }
    EXPECT_EQ(trials[0].key, "train.optimizer.lr=0.001#r0");
  }
  const auto second = run_shell(command());
  ASSERT_EQ(second.status, 0) << second.output;
  EXPECT_THAT(second.output, HasSubstr("[1/2] train.optimizer.lr=0.001#r0: done already, skipped"));
  EXPECT_THAT(second.output, HasSubstr("[2/2] train.optimizer.lr=0.002#r0: done already, skipped"));
}

TEST_F(TinyRun, SigintMarksTheTrialInterruptedAndARerunCompletesIt) {
  write_experiment(60, 64);  // long enough (several seconds) to be interrupted mid-trial
  const std::string log = (dir_ / "log.txt").string();
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    const std::string line = command() + " > " + log + " 2>&1";
    execl("/bin/sh", "sh", "-c", ("exec " + line).c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  // Interrupt as soon as the trainer reports its first epoch (of 60), i.e.
  // mid-trial, whatever the machine's speed.
  for (int i = 0; i < 1200; ++i) {
    std::ifstream in(log);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (text.find("epoch 1/60") != std::string::npos) break;
    usleep(50000);
  }
  kill(pid, SIGINT);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 130);
  {
    ResultStore store(database_, ResultStore::Mode::read_only);
    const auto trials = store.trials(store.experiment("tiny").id);
    ASSERT_EQ(trials.size(), 1u);
    EXPECT_EQ(trials[0].status, "interrupted");
  }
  write_experiment(60, 64);
  const auto rerun = run_shell(command("--only 0.001"));
  ASSERT_EQ(rerun.status, 0) << rerun.output;
  ResultStore store(database_, ResultStore::Mode::read_only);
  const auto trials = store.trials(store.experiment("tiny").id);
  ASSERT_EQ(trials.size(), 1u);
  EXPECT_EQ(trials[0].status, "done");
  EXPECT_EQ(trials[0].last_epoch, 59);
}


}  // namespace
}  // namespace stegolab
