// `stegolab run`: thread count, signals, the dry-run listing, the command's
// errors, and (once the trainer, the store and the plugins are in the build)
// a tiny real sweep: database rows, skip on rerun, SIGINT and resume.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support/build_locations.hpp"
#include "plugin_host/plugin_registry.hpp"
#include "run/interrupt_handlers.hpp"
#include "run/sweep_runner.hpp"
#include "run/thread_count.hpp"
#include "run/trial_plan.hpp"
#include "spec/experiment_spec.hpp"
#include "stegolab/errors.hpp"
#include "support/shell_command.hpp"
#include "support/tiny_run_plugins.hpp"

#include "report/epoch_progress_table.hpp"
#include "store/database_writer_lock.hpp"
#include "store/result_store.hpp"
#include "support/file_size_limit.hpp"

namespace stegolab {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

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
    EXPECT_EQ(std::string(error.what()),
              "STEGOLAB_THREADS: expected a positive integer, got \"four\"");
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
    // The task uses every section and validates one metric.
    info.components.clear();
    info.metrics.clear();
    if (kind == "task") {
      info.components = {{"transform", "transform", true, ""},
                         {"model", "model", true, ""},
                         {"loss", "loss", true, ""}};
      info.metrics = {{"m", "", "", "higher"}};
      info.best_metric = "m";
    }
    return info;
  }
  json resolve_params(const std::string&, const std::string&, const json& params) const override {
    return params;
  }
};

TEST(TrialPlan, ListsSeedSweepValuesAndKeyOfTheSelectedTrials) {
  const json document = {{"name", "plan"},
                         {"task", {{"plugin", "p"}}},
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
  EXPECT_EQ(out.str(), "experiment plan (plan.json, hash " + spec.hash +
                           "): 2 of 4 trials selected by --only \"#r1\"\n"
                           "  # seed train.batch_size key\n"
                           "  1 6    4                train.batch_size=4#r1\n"
                           "  2 6    16               train.batch_size=16#r1\n");
}

TEST(RunCommand, ReportsAMissingExperimentFileOnOneLine) {
  const auto result =
      run_shell(std::string(STEGOLAB_TEST_BINARY) + " run no_such_experiment.json --dry-run");
  EXPECT_EQ(result.status, 1);
  EXPECT_EQ(result.output,
            "stegolab run: error: no_such_experiment.json: cannot read the experiment file (does "
            "it exist?)\n");
}

TEST(RunCommand, RejectsAnUnknownDevice) {
  const auto result = run_shell(std::string(STEGOLAB_TEST_BINARY) + " run x.json --device gpu");
  EXPECT_EQ(result.status, 1);
  EXPECT_THAT(result.output,
              HasSubstr("--device: expected auto, cpu, cuda or cuda:N, got \"gpu\""));
}

TEST(RunFolder, SitsNextToTheDatabase) {
  EXPECT_EQ(run_folder("results/x.db"), std::filesystem::path("results/x.runs"));
  EXPECT_EQ(run_folder("out/y.sqlite"), std::filesystem::path("out/y.sqlite.runs"));
}

// A tiny real experiment: 2 trials (2 transforms), 16 px, 1 block, hidden 8.
class TinyRun : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const std::string missing = missing_tiny_run_plugin(); !missing.empty())
      GTEST_SKIP() << "plugin " << missing << " is not in this build";
    dir_ = std::filesystem::path(STEGOLAB_TEST_BUILD_DIR) / "run_test" /
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    experiment_ = dir_ / "tiny.json";
    database_ = dir_ / "tiny.db";
  }

  // `changes` is merged over the document (JSON merge patch), e.g. to add
  // reports or replace the sweep.
  void write_experiment(int epochs, int count, const json& changes = json::object()) {
    json document = {
        {"name", "tiny"},
        {"data",
         {{"plugin", "synthetic"},
          {"params", {{"size", 16}, {"count", count}}},
          {"split", {{"train", 0.5}, {"val", 0.25}, {"test", 0.25}}}}},
        {"transform", {{"plugin", "haar_dwt"}}},
        {"model", {{"plugin", "star_inn"}, {"params", {{"blocks", 1}, {"hidden", 8}}}}},
        {"train", {{"epochs", epochs}, {"batch_size", 4}, {"device", "cpu"}, {"seed", 3}}},
        {"eval", {{"batch_size", 8}}},
        {"sweep", {{"axes", {{"train.optimizer.lr", {1e-3, 2e-3}}}}}}};
    document.merge_patch(changes);
    std::ofstream(experiment_) << document.dump(2);
  }

  std::string command(const std::string& extra = "") const {
    return std::string(STEGOLAB_TEST_BINARY) + " run " + experiment_.string() + " --db " +
           database_.string() + " --threads 1 " + extra;
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
      EXPECT_EQ(trial.status, TrialStatus::done);
      EXPECT_EQ(trial.last_epoch, 1);  // 2 epochs, 0-based
      EXPECT_EQ(trial.seed, 3u);
      EXPECT_EQ(trial.device, "cpu");
      EXPECT_EQ(trial.plugins.at("model").at("name"), "star_inn");
      EXPECT_TRUE(std::filesystem::exists(run_folder(database_) / std::to_string(trial.id)));
      bool has_test_psnr = false;
      for (const auto& row : store.final_metrics(trial.id))
        has_test_psnr |= row.split == Split::test && row.metric == "rec_psnr";
      EXPECT_TRUE(has_test_psnr);
    }
    EXPECT_EQ(trials[0].key, "train.optimizer.lr=0.001#r0");
  }
  const auto second = run_shell(command());
  ASSERT_EQ(second.status, 0) << second.output;
  EXPECT_THAT(second.output, HasSubstr("[1/2] train.optimizer.lr=0.001#r0: done already, skipped"));
  EXPECT_THAT(second.output, HasSubstr("[2/2] train.optimizer.lr=0.002#r0: done already, skipped"));
}

TEST_F(TinyRun, SigintMarksTheTrialInterruptedAndARerunResumesFromItsCheckpoint) {
  write_experiment(60, 64);  // long enough (several seconds) to be interrupted mid-trial
  const std::string log = (dir_ / "log.txt").string();
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    const std::string line = command() + " > " + log + " 2>&1";
    execl("/bin/sh", "sh", "-c", ("exec " + line).c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  // Interrupt as soon as the trainer reports its second epoch (of 60), i.e.
  // mid-trial with at least one checkpoint, whatever the machine's speed.
  for (int i = 0; i < 1200; ++i) {
    std::ifstream in(log);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (text.find("epoch 2/60") != std::string::npos) break;
    usleep(50000);
  }
  kill(pid, SIGINT);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 130);
  int64_t interrupted_after = -1;
  std::vector<MetricRow> epoch0_before;
  {
    ResultStore store(database_, ResultStore::Mode::read_only);
    const auto trials = store.trials(store.experiment("tiny").id);
    // The second trial was planned (pending) but never reached.
    ASSERT_EQ(trials.size(), 2u);
    EXPECT_EQ(trials[0].status, TrialStatus::interrupted);
    EXPECT_EQ(trials[1].key, "train.optimizer.lr=0.002#r0");
    EXPECT_EQ(trials[1].status, TrialStatus::pending);
    interrupted_after = trials[0].last_epoch;
    ASSERT_GE(interrupted_after, 1);
    ASSERT_LT(interrupted_after, 59) << "the trial finished before the signal; nothing to resume";
    for (const auto& row : store.epoch_metrics(trials[0].id)) {
      if (row.epoch == 0) epoch0_before.push_back(row);
    }
  }
  ASSERT_FALSE(epoch0_before.empty());

  const auto rerun = run_shell(command("--only 0.001"));
  ASSERT_EQ(rerun.status, 0) << rerun.output;
  // The checkpoint of the last completed (0-based) epoch K; the rerun starts
  // with epoch K+1, which the 1-based messages call K+2.
  const std::string next = std::to_string(interrupted_after + 2);
  EXPECT_THAT(
      rerun.output,
      HasSubstr("[1/1] train.optimizer.lr=0.001#r0: resuming interrupted trial from epoch " + next +
                "/60 (checkpoint after epoch " + std::to_string(interrupted_after + 1) + ")"));
  // The epochs before the checkpoint were not trained again.
  EXPECT_THAT(rerun.output, Not(HasSubstr("epoch 1/60 ")));
  EXPECT_THAT(rerun.output, HasSubstr("epoch " + next + "/60 "));
  EXPECT_THAT(rerun.output, HasSubstr("epoch 60/60 "));

  ResultStore store(database_, ResultStore::Mode::read_only);
  const auto trials = store.trials(store.experiment("tiny").id);
  ASSERT_EQ(trials.size(), 2u);
  EXPECT_EQ(trials[0].status, TrialStatus::done);
  EXPECT_EQ(trials[1].status, TrialStatus::pending);  // --only did not select it
  EXPECT_EQ(trials[0].last_epoch, 59);
  // Every epoch has its rows, and epoch 0's are those of the first run.
  std::set<int64_t> epochs;
  std::vector<MetricRow> epoch0_after;
  for (const auto& row : store.epoch_metrics(trials[0].id)) {
    epochs.insert(row.epoch);
    if (row.epoch == 0) epoch0_after.push_back(row);
  }
  EXPECT_EQ(epochs.size(), 60u);
  ASSERT_EQ(epoch0_after.size(), epoch0_before.size());
  for (size_t i = 0; i < epoch0_before.size(); ++i) {
    EXPECT_EQ(epoch0_after[i].metric, epoch0_before[i].metric);
    EXPECT_EQ(epoch0_after[i].split, epoch0_before[i].split);
    EXPECT_DOUBLE_EQ(epoch0_after[i].value, epoch0_before[i].value) << epoch0_before[i].metric;
  }
  // The trainer recorded where it resumed, counting epochs from 1 as every
  // message does.
  bool resumed = false;
  for (const auto& event : store.events(trials[0].id)) {
    resumed |= event.kind == "resume" &&
               event.message.find("after epoch " + std::to_string(interrupted_after + 1)) !=
                   std::string::npos;
  }
  EXPECT_TRUE(resumed);
}

// Runs one statement against the database, as a user's sqlite3 would.
void execute_sql(const std::filesystem::path& file, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK)
      << (error ? error : "");
  sqlite3_free(error);
  sqlite3_close(db);
}

// As a process killed after saving epoch 1's checkpoint but before recording
// its rows leaves the database: the trial interrupted after epoch 0.
void forget_epoch_1(const std::filesystem::path& database) {
  execute_sql(database,
              "UPDATE trials SET status = 'interrupted', last_epoch = 0; "
              "DELETE FROM epoch_metrics WHERE epoch = 1");
}

TEST_F(TinyRun, ACheckpointThatCannotBeResumedFromMeansARerunFromTheStart) {
  write_experiment(2, 16);
  ASSERT_EQ(run_shell(command("--only 0.001")).status, 0);
  const auto last = run_folder(database_) / "1" / "last";
  ASSERT_TRUE(std::filesystem::exists(last / "checkpoint.json"));

  // As if the process had been killed after saving epoch 1's checkpoint but
  // before recording its rows: the checkpoint is ahead of the database.
  forget_epoch_1(database_);
  // Rows the new attempt would not overwrite: a later epoch of the old one
  // and a final metric it does not produce.
  execute_sql(database_,
              "INSERT INTO epoch_metrics VALUES (1, 7, 'val', 'rec_psnr', 99.0, 0); "
              "INSERT INTO final_metrics VALUES (1, 'test', 'stale_metric', 1.0, 0)");
  const auto ahead = run_shell(command("--only 0.001"));
  ASSERT_EQ(ahead.status, 0) << ahead.output;
  EXPECT_THAT(ahead.output,
              HasSubstr("[1/1] train.optimizer.lr=0.001#r0: rerunning interrupted trial from the "
                        "start (its checkpoint after epoch 2 is ahead of the recorded epochs)"));
  EXPECT_THAT(ahead.output, HasSubstr("epoch 1/2 "));  // really from the start
  {
    ResultStore store(database_, ResultStore::Mode::read_only);
    const auto trial = store.trials(store.experiment("tiny").id).at(0);
    EXPECT_EQ(trial.status, TrialStatus::done);
    EXPECT_EQ(trial.last_epoch, 1);
    std::set<int64_t> epochs;
    for (const auto& row : store.epoch_metrics(trial.id)) epochs.insert(row.epoch);
    EXPECT_EQ(epochs, (std::set<int64_t>{0, 1}));  // the old attempt's epoch 7 is gone
    for (const auto& row : store.final_metrics(trial.id)) EXPECT_NE(row.metric, "stale_metric");
    const auto events = store.events(trial.id);
    EXPECT_TRUE(std::any_of(events.begin(), events.end(), [](const EventRecord& event) {
      return event.kind == "restart" && event.message.find("from the start") != std::string::npos;
    }));
  }

  // A damaged checkpoint is named and not used.
  execute_sql(database_, "UPDATE trials SET status = 'failed'");
  std::ofstream(last / "checkpoint.json") << "{ truncated";
  const auto damaged = run_shell(command("--only 0.001"));
  ASSERT_EQ(damaged.status, 0) << damaged.output;
  EXPECT_THAT(damaged.output,
              HasSubstr("[1/1] train.optimizer.lr=0.001#r0: rerunning failed trial from the "
                        "start (its checkpoint is unusable: "));
  EXPECT_THAT(damaged.output, HasSubstr("epoch 1/2 "));
}

TEST_F(TinyRun, ACheckpointWhoseStateDoesNotFitIsSaidAndTheTrialRunsFromTheStart) {
  write_experiment(2, 16);
  ASSERT_EQ(run_shell(command("--only 0.001")).status, 0);
  // As a run interrupted after its last epoch left it, with an optimiser
  // state that this build's strategy cannot take (another model layout).
  execute_sql(database_, "UPDATE trials SET status = 'interrupted'");
  const auto last = run_folder(database_) / "1" / "last";
  std::ofstream(last / "strategy.pt", std::ios::trunc) << "not an archive";
  const auto rerun = run_shell(command("--only 0.001"));
  ASSERT_EQ(rerun.status, 0) << rerun.output;
  EXPECT_THAT(rerun.output, HasSubstr("resuming interrupted trial at its test evaluation "
                                      "(checkpoint after epoch 2)"));
  EXPECT_THAT(rerun.output,
              HasSubstr("[1/1] train.optimizer.lr=0.001#r0: rerunning from the start (its "
                        "checkpoint cannot be resumed from: '"));
  EXPECT_THAT(rerun.output, HasSubstr("cannot restore the strategy"));
  EXPECT_THAT(rerun.output, HasSubstr("epoch 1/2 "));
  ResultStore store(database_, ResultStore::Mode::read_only);
  const auto trial = store.trials(store.experiment("tiny").id).at(0);
  EXPECT_EQ(trial.status, TrialStatus::done);
  EXPECT_EQ(trial.last_epoch, 1);
  // Written again, so a later resume finds a checkpoint that fits.
  EXPECT_GT(std::filesystem::file_size(last / "strategy.pt"), 100u);
}

// Entries of `folder` whose names start with a dot: temporaries and leftovers.
std::vector<std::string> hidden_entries(const std::filesystem::path& folder) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    const std::string name = entry.path().filename();
    if (name.front() == '.') names.push_back(name);
  }
  return names;
}

TEST_F(TinyRun, ACheckpointThatCannotBeWrittenStopsTheRunOnOneLineAndTheTrialRunsLater) {
  // A model whose checkpoint, unlike the database, does not fit the limit.
  write_experiment(2, 16, {{"model", {{"params", {{"hidden", 64}}}}}});
  constexpr std::uintmax_t kLimit = 512 * 1024;
  CommandResult full;
  {
    const FileSizeLimit limit(kLimit);  // as a full disk would
    full = run_shell(command("--only 0.001"));
  }
  EXPECT_EQ(full.status, 1) << full.output;
  EXPECT_THAT(full.output, HasSubstr("stegolab run: error: [1/1] train.optimizer.lr=0.001#r0: "
                                     "cannot save checkpoint '"));
  EXPECT_THAT(full.output, HasSubstr(std::string(".pt: ") + std::strerror(EFBIG) +
                                     " (recorded as interrupted; run the same command again "
                                     "to resume)\n"));
  EXPECT_THAT(full.output, Not(HasSubstr("terminate called")));
  const auto folder = run_folder(database_) / "1";
  EXPECT_EQ(hidden_entries(folder), std::vector<std::string>{});
  {
    ResultStore store(database_, ResultStore::Mode::read_only);
    const auto trial = store.trials(store.experiment("tiny").id).at(0);
    EXPECT_EQ(trial.status, TrialStatus::interrupted);
    EXPECT_THAT(trial.error, HasSubstr("cannot save checkpoint"));
  }
  const auto rerun = run_shell(command("--only 0.001"));
  ASSERT_EQ(rerun.status, 0) << rerun.output;
  EXPECT_THAT(rerun.output, HasSubstr("[1/1] train.optimizer.lr=0.001#r0: rerunning interrupted "
                                      "trial from the start"));
  // The premise: the database fits the limit, the checkpoint does not.
  EXPECT_GT(std::filesystem::file_size(folder / "last" / "model.pt"), kLimit);
  EXPECT_LT(std::filesystem::file_size(database_), kLimit);
}

TEST_F(TinyRun, ACheckpointLeftAsideByAnInterruptedSaveIsResumedFrom) {
  write_experiment(2, 16);
  ASSERT_EQ(run_shell(command("--only 0.001")).status, 0);
  // As a kill between the two renames of an older version left it: no
  // last/, the previous checkpoint (epoch 1) renamed aside, the new one
  // (epoch 2) complete but not in place and its rows not yet recorded.
  const auto folder = run_folder(database_) / "1";
  std::filesystem::copy(folder / "last", folder / ".last.old-7");
  std::filesystem::rename(folder / "last", folder / ".last.tmp-7");
  json manifest = json::parse(std::ifstream(folder / ".last.old-7" / "checkpoint.json"));
  ASSERT_EQ(manifest.at("epoch"), 1);
  manifest["epoch"] = 0;
  std::ofstream(folder / ".last.old-7" / "checkpoint.json") << manifest.dump();
  forget_epoch_1(database_);

  const auto rerun = run_shell(command("--only 0.001"));
  ASSERT_EQ(rerun.status, 0) << rerun.output;
  EXPECT_THAT(rerun.output,
              HasSubstr("[1/1] train.optimizer.lr=0.001#r0: resuming interrupted trial from epoch "
                        "2/2 (checkpoint after epoch 1, recovered from .last.old-7 left by an "
                        "interrupted save)"));
  EXPECT_THAT(rerun.output, Not(HasSubstr("epoch 1/2 ")));
  EXPECT_EQ(hidden_entries(folder), std::vector<std::string>{});
  EXPECT_EQ(json::parse(std::ifstream(folder / "last" / "checkpoint.json")).at("epoch"), 1);
  ResultStore store(database_, ResultStore::Mode::read_only);
  const auto trial = store.trials(store.experiment("tiny").id).at(0);
  EXPECT_EQ(trial.status, TrialStatus::done);
  const auto events = store.events(trial.id);
  EXPECT_TRUE(std::any_of(events.begin(), events.end(), [](const EventRecord& event) {
    return event.kind == "checkpoint_recovered";
  }));
}

TEST_F(TinyRun, AChangedExperimentIsRefusedNamingTheChangeUnlessForceNew) {
  write_experiment(1, 16);
  ASSERT_EQ(run_shell(command("--only 0.001")).status, 0);
  write_experiment(2, 16, {{"eval", {{"batch_size", 4}}}});
  const auto refused = run_shell(command("--only 0.001"));
  EXPECT_EQ(refused.status, 1);
  // One line, naming the database and both changed keys as JSON pointers.
  EXPECT_EQ(std::count(refused.output.begin(), refused.output.end(), '\n'), 1) << refused.output;
  EXPECT_THAT(refused.output,
              HasSubstr("stegolab run: error: results database '" + database_.string() +
                        "' already holds experiment 'tiny' (id 1) with a different definition"));
  EXPECT_THAT(refused.output, HasSubstr("/train/epochs (replace)"));
  EXPECT_THAT(refused.output, HasSubstr("/eval/batch_size (replace)"));
  EXPECT_THAT(refused.output, HasSubstr("--force-new"));

  const auto forced = run_shell(command("--only 0.001 --force-new"));
  ASSERT_EQ(forced.status, 0) << forced.output;
  // A new experiment of the same name whose trial ran again (not skipped).
  EXPECT_THAT(forced.output, HasSubstr("[1/1] train.optimizer.lr=0.001#r0: starting"));
  EXPECT_THAT(forced.output, HasSubstr("--force-new: recorded the changed definition as "
                                       "experiment 'tiny' (id 2) in " +
                                       database_.string() + "; experiment id 1 keeps its trials"));
  ResultStore store(database_, ResultStore::Mode::read_only);
  const auto experiments = store.experiments();
  ASSERT_EQ(experiments.size(), 2u);
  EXPECT_EQ(experiments[1].name, "tiny");
  const auto trials = store.trials(experiments[1].id);
  ASSERT_EQ(trials.size(), 1u);
  EXPECT_EQ(trials[0].last_epoch, 1);                              // the new definition's 2 epochs
  EXPECT_EQ(store.trials(experiments[0].id).at(0).last_epoch, 0);  // the old one's row stays
}

TEST_F(TinyRun, ABadParameterInAnyTrialIsRefusedAtLoadNamingTheTrial) {
  // clamp 50 is outside the [0.001, 20] that star_inn declares: the second
  // trial's value stops the run before the first trial trains.
  write_experiment(
      1, 16,
      {{"sweep",
        {{"axes", {{"train.optimizer.lr", nullptr}, {"model.params.clamp", {2.0, 50.0}}}}}}});
  const auto result = run_shell(command());
  EXPECT_EQ(result.status, 1) << result.output;
  EXPECT_THAT(result.output,
              HasSubstr("tiny.json: model.params: model 'star_inn': parameter 'clamp' must be in "
                        "[0.001, 20], got 50.0 (in trial \"model.params.clamp=50.0#r0\")"));
  EXPECT_THAT(result.output, Not(HasSubstr("epoch 1/1")));
  EXPECT_EQ(std::count(result.output.begin(), result.output.end(), '\n'), 1) << result.output;
}

TEST_F(TinyRun, ATrialThatFailsToBuildDoesNotStopTheSweep) {
  // A 1-channel source with star_inn's YCbCr composition: only the model,
  // when it is built, can tell; the first trial fails when it starts.
  write_experiment(
      1, 16,
      {{"model", {{"params", {{"composition", "ycbcr_residual"}}}}},
       {"sweep", {{"axes", {{"train.optimizer.lr", nullptr}, {"data.params.channels", {1, 3}}}}}},
       {"reports",
        {{{"name", "by channels"},
          {"rows", {"data.params.channels"}},
          {"metrics", {"rec_psnr"}}}}}});
  const auto result = run_shell(command());
  EXPECT_EQ(result.status, 1) << result.output;
  EXPECT_THAT(result.output, HasSubstr("[1/2] data.params.channels=1"));
  EXPECT_THAT(result.output, HasSubstr("needs 3-channel (RGB) images, got 1 channels"));
  EXPECT_THAT(result.output, HasSubstr("[2/2] data.params.channels=3"));
  EXPECT_THAT(result.output, HasSubstr("1 done now, 0 done before, 1 failed, 0 interrupted"));
  // The declared report is still printed, from the trial that ran.
  EXPECT_THAT(result.output, HasSubstr("## by channels"));
  ResultStore store(database_, ResultStore::Mode::read_only);
  const auto trials = store.trials(store.experiment("tiny").id);
  ASSERT_EQ(trials.size(), 2u);
  EXPECT_EQ(trials[0].status, TrialStatus::failed);
  EXPECT_THAT(trials[0].error, HasSubstr("composition"));
  EXPECT_EQ(trials[1].status, TrialStatus::done);
}

TEST_F(TinyRun, ATooSmallSplitOrFp16OnCpuIsRefusedAtLoadNamingTheTrial) {
  // 6 images leave the test split (25 %) 1 image: known only from the built
  // source, yet found before the first trial trains and before the database
  // is written, as --dry-run finds it.
  write_experiment(
      1, 16,
      {{"sweep", {{"axes", {{"train.optimizer.lr", nullptr}, {"data.params.count", {16, 6}}}}}}});
  for (const std::string extra : {"", "--dry-run"}) {
    const auto result = run_shell(command(extra));
    EXPECT_EQ(result.status, 1) << result.output;
    EXPECT_THAT(result.output, HasSubstr("tiny.json: data.split.test gives 1 image of 6"));
    EXPECT_THAT(result.output, HasSubstr("(in trial \"data.params.count=6#r0\")"));
    EXPECT_THAT(result.output, Not(HasSubstr("epoch 1/1")));
  }
  EXPECT_FALSE(std::filesystem::exists(database_));

  write_experiment(
      1, 16,
      {{"sweep",
        {{"axes",
          {{"train.optimizer.lr", nullptr}, {"strategy.params.precision", {"fp32", "fp16"}}}}}}});
  const auto result = run_shell(command());
  EXPECT_EQ(result.status, 1) << result.output;
  EXPECT_THAT(result.output,
              HasSubstr("tiny.json: strategy.params: strategy 'standard': precision \"fp16\" "
                        "needs a CUDA device"));
  EXPECT_THAT(result.output, HasSubstr("(in trial \"strategy.params.precision=fp16#r0\")"));
  EXPECT_THAT(result.output, Not(HasSubstr("epoch 1/1")));
}

TEST_F(TinyRun, EndOfRunPrintsTheDeclaredReportsAsReportAllDoesAndTheValidationProgress) {
  write_experiment(
      2, 16,
      {{"reports",
        {{{"name", "by lr"}, {"rows", {"train.optimizer.lr"}}, {"metrics", {"rec_psnr", "ber"}}},
         {{"name", "csv copy"},
          {"rows", {"train.optimizer.lr"}},
          {"metrics", {"rec_psnr"}},
          {"format", "csv"},
          {"out", "tables/by_lr.csv"}}}}});
  const auto run = run_shell(command());
  ASSERT_EQ(run.status, 0) << run.output;
  // The same text as `stegolab report --all` (stderr apart), from one renderer.
  const auto report = run_shell(std::string(STEGOLAB_TEST_BINARY) + " report --db " +
                                database_.string() + " --all 2>/dev/null");
  ASSERT_EQ(report.status, 0) << report.output;
  EXPECT_THAT(report.output, HasSubstr("## by lr"));
  EXPECT_THAT(run.output, HasSubstr(report.output));
  EXPECT_TRUE(std::filesystem::exists(dir_ / "tables" / "by_lr.csv"));
  EXPECT_THAT(run.output, HasSubstr("wrote " + (dir_ / "tables" / "by_lr.csv").string()));
  // With declared reports there is no fallback table.
  EXPECT_THAT(run.output, Not(HasSubstr("tiny: test metrics")));

  // The progress table's cells are the stored validation values of epochs 0
  // and 1, rounded to 2 decimals.
  EXPECT_THAT(run.output, HasSubstr("val metrics, first → last epoch"));
  ResultStore store(database_, ResultStore::Mode::read_only);
  for (const auto& trial : store.trials(store.experiment("tiny").id)) {
    std::map<std::pair<int64_t, std::string>, double> val;
    for (const auto& row : store.epoch_metrics(trial.id)) {
      if (row.split == Split::val) val[{row.epoch, row.metric}] = row.value;
    }
    char expected[256];
    std::snprintf(expected, sizeof expected, "| %s | 1 → 2  | %.2f → %.2f", trial.key.c_str(),
                  val.at({0, "rec_psnr"}), val.at({1, "rec_psnr"}));
    EXPECT_THAT(run.output, HasSubstr(expected));
    std::snprintf(expected, sizeof expected, "| %.2f → %.2f", val.at({0, "hide_psnr"}),
                  val.at({1, "hide_psnr"}));
    EXPECT_THAT(run.output, HasSubstr(expected));
  }
}

TEST_F(TinyRun, WithoutDeclaredReportsTheRunEndsWithTheTestMetricTable) {
  write_experiment(1, 16);
  const auto run = run_shell(command("--only 0.002"));
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_THAT(run.output,
              HasSubstr("tiny: test metrics (rec_psnr [dB], hide_psnr [dB], ber [fraction])\n"
                        "| trial                       | status | rec_psnr |"));
}

TEST_F(TinyRun, DatabaseErrorsAreOneLineNamingTheFile) {
  write_experiment(1, 16);
  // A folder that cannot be created: its parent is a regular file.
  std::ofstream(dir_ / "plain_file") << "x";
  const std::string blocked = (dir_ / "plain_file" / "sub" / "r.db").string();
  const auto folder = run_shell(std::string(STEGOLAB_TEST_BINARY) + " run " + experiment_.string() +
                                " --threads 1 --db " + blocked);
  EXPECT_EQ(folder.status, 1);
  EXPECT_EQ(std::count(folder.output.begin(), folder.output.end(), '\n'), 1) << folder.output;
  EXPECT_THAT(folder.output,
              HasSubstr("stegolab run: error: results database '" + blocked +
                        "': cannot create its folder '" + (dir_ / "plain_file" / "sub").string() +
                        "': Not a directory"));
  // A file that is not a database.
  std::ofstream(database_) << "not a database, just text that is long enough to have a header\n";
  const auto text = run_shell(command());
  EXPECT_EQ(text.status, 1);
  EXPECT_EQ(std::count(text.output.begin(), text.output.end(), '\n'), 1) << text.output;
  EXPECT_THAT(text.output, HasSubstr("stegolab run: error: "));
  EXPECT_THAT(text.output, HasSubstr(database_.string()));
}

// As a disk that fills up while epoch 3's rows are recorded: that write and
// (with `and_the_finish`) the trial's final update fail.
void fail_writes(const std::filesystem::path& database, bool and_the_finish) {
  execute_sql(database,
              "CREATE TRIGGER full_at_epoch_3 BEFORE INSERT ON epoch_metrics WHEN NEW.epoch = 2 "
              "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END");
  if (!and_the_finish) return;
  execute_sql(database,
              "CREATE TRIGGER full_at_finish BEFORE UPDATE OF status ON trials "
              "WHEN NEW.status != 'running' BEGIN SELECT RAISE(ABORT, 'database or disk is full'); "
              "END");
}

TEST_F(TinyRun, AFailedWriteOfTheResultsIsReportedAsItselfAndTheTrialResumesLater) {
  write_experiment(4, 16);
  ASSERT_EQ(run_shell(command("--only 0.002")).status, 0);  // creates the database
  fail_writes(database_, /*and_the_finish=*/true);
  const auto full = run_shell(command("--only 0.001"));
  EXPECT_EQ(full.status, 1) << full.output;
  // The write that failed first, with epochs counted from 1; not the
  // trial's final update, which failed after it.
  EXPECT_THAT(full.output, HasSubstr("stegolab run: error: results database '" +
                                     database_.string() + "': recording epoch 3 of trial "));
  EXPECT_THAT(full.output, Not(HasSubstr("finishing trial")));
  // Nothing could record the end of the trial; `results` shows it as the
  // next run will record it, since no run holds the database any more.
  int64_t id = 0;
  {
    ResultStore store(database_, ResultStore::Mode::read_only);
    const auto trial =
        *store.find_trial(store.experiment("tiny").id, "train.optimizer.lr=0.001#r0");
    EXPECT_EQ(trial.status, TrialStatus::running);  // as stored
    id = trial.id;
  }
  const std::string results =
      std::string(STEGOLAB_TEST_BINARY) + " results --db " + database_.string() + " ";
  const auto show = run_shell(results + "show tiny");
  EXPECT_THAT(show.output, HasSubstr("interrupted"));
  EXPECT_THAT(show.output, Not(HasSubstr("running")));
  EXPECT_THAT(run_shell(results + "trial " + std::to_string(id)).output,
              HasSubstr("status        interrupted (recorded as running by a run that ended "
                        "without finishing it; the next run resumes it)"));
  {
    // While a run holds the database, running is running.
    const DatabaseWriterLock held(database_);
    EXPECT_THAT(run_shell(results + "show tiny").output, HasSubstr("running"));
  }

  // The finish can be written again: the trial is interrupted with the reason.
  execute_sql(database_, "DROP TRIGGER full_at_finish");
  const auto again = run_shell(command("--only 0.001"));
  EXPECT_EQ(again.status, 1) << again.output;
  EXPECT_THAT(again.output, HasSubstr("marked interrupted"));
  EXPECT_THAT(again.output, HasSubstr("resuming interrupted trial from epoch 3/4 (checkpoint "
                                      "after epoch 2)"));
  EXPECT_THAT(again.output, HasSubstr("recording epoch 3 of trial "));
  EXPECT_THAT(again.output, HasSubstr("(recorded as interrupted; run the same command again to "
                                      "resume)"));
  {
    ResultStore store(database_, ResultStore::Mode::read_only);
    const auto trial =
        *store.find_trial(store.experiment("tiny").id, "train.optimizer.lr=0.001#r0");
    EXPECT_EQ(trial.status, TrialStatus::interrupted);
    EXPECT_THAT(trial.error, HasSubstr("recording epoch 3 of trial "));
    EXPECT_EQ(trial.last_epoch, 1);
  }
  execute_sql(database_, "DROP TRIGGER full_at_epoch_3");
  const auto rerun = run_shell(command("--only 0.001"));
  ASSERT_EQ(rerun.status, 0) << rerun.output;
  EXPECT_THAT(rerun.output, HasSubstr("resuming interrupted trial from epoch 3/4"));
  ResultStore store(database_, ResultStore::Mode::read_only);
  const auto trial = *store.find_trial(store.experiment("tiny").id, "train.optimizer.lr=0.001#r0");
  EXPECT_EQ(trial.status, TrialStatus::done);
  EXPECT_EQ(trial.last_epoch, 3);
}

TEST_F(TinyRun, ASecondRunOnTheSameDatabaseStopsAtOnceNamingTheHolder) {
  write_experiment(1, 16);
  const DatabaseWriterLock held(database_);  // as a running `stegolab run` holds it
  const auto second = run_shell(command());
  EXPECT_EQ(second.status, 1);
  EXPECT_EQ(std::count(second.output.begin(), second.output.end(), '\n'), 1) << second.output;
  EXPECT_THAT(second.output,
              HasSubstr("stegolab run: error: results database '" + database_.string() +
                        "' is being written by another stegolab run (pid " +
                        std::to_string(getpid()) + ")"));
  EXPECT_FALSE(std::filesystem::exists(database_));  // stopped before touching it
}

TEST_F(TinyRun, DryRunChecksTheDeclaredReports) {
  write_experiment(
      1, 16,
      {{"reports",
        {{{"rows", {"train.optimizer.lr"}}, {"metrics", {"rec_psnr"}}, {"format", "html"}}}}});
  const auto dry = run_shell(command("--dry-run"));
  EXPECT_EQ(dry.status, 1);
  EXPECT_EQ(dry.output, "stegolab run: error: " + experiment_.string() +
                            ": reports[0].format: expected one of \"markdown\", \"latex\", "
                            "\"csv\", got \"html\"\n");
}

TEST_F(TinyRun, EditedReportsResumeAndForceNewOnAnUnchangedFileSaysNothingChanged) {
  const json report = {{"name", "first"}, {"rows", {"train.optimizer.lr"}}, {"metrics", {"ber"}}};
  write_experiment(1, 16, {{"description", "one"}, {"reports", {report}}});
  ASSERT_EQ(run_shell(command("--only 0.001")).status, 0);

  json renamed = report;
  renamed["name"] = "second";
  write_experiment(1, 16, {{"description", "two"}, {"reports", {renamed}}});
  const auto edited = run_shell(command("--only 0.001"));
  ASSERT_EQ(edited.status, 0) << edited.output;
  EXPECT_THAT(edited.output, HasSubstr("experiment 'tiny' (id 1): description and reports "
                                       "updated from " +
                                       experiment_.string()));
  EXPECT_THAT(edited.output, HasSubstr("train.optimizer.lr=0.001#r0: done already, skipped"));
  EXPECT_THAT(edited.output, HasSubstr("## second"));
  const auto report_all = run_shell(std::string(STEGOLAB_TEST_BINARY) + " report --db " +
                                    database_.string() + " --all 2>/dev/null");
  EXPECT_THAT(report_all.output, HasSubstr("## second"));
  EXPECT_THAT(report_all.output, Not(HasSubstr("## first")));

  const auto forced = run_shell(command("--only 0.001 --force-new"));
  ASSERT_EQ(forced.status, 0) << forced.output;
  EXPECT_THAT(forced.output, HasSubstr("--force-new: nothing changed: " + experiment_.string() +
                                       " defines the same trials as experiment 'tiny' (id 1) in " +
                                       database_.string() + ", so no new experiment was recorded"));
  EXPECT_THAT(forced.output, HasSubstr("done already, skipped"));
  ResultStore store(database_, ResultStore::Mode::read_only);
  EXPECT_EQ(store.experiments().size(), 1u);
}

TEST(EpochProgressTable, RendersFirstAndLastValuesWithOneBasedEpochsAndUnits) {
  EpochProgressTable table;
  table.metrics = {"rec_psnr", "ber"};
  table.units = {"dB", "fraction"};  // as build() reads them from the stored conventions
  table.split = Split::val;
  EpochProgressRow row;
  row.trial = "t=a#r0";
  row.first_epoch = 0;
  row.last_epoch = 7;
  row.first = {12.346, 0.5};
  row.last = {30.0, NAN};
  table.rows.push_back(row);
  // Units from the metric conventions (rec_psnr: dB, ber: fraction), in
  // brackets as the report tables write them; a missing value is "-"; "→"
  // counts as one column when padding.
  EXPECT_EQ(table.markdown(2),
            "val metrics, first → last epoch\n\n"
            "| trial  | epochs | rec_psnr [dB] | ber [fraction] |\n"
            "|--------|--------|---------------|----------------|\n"
            "| t=a#r0 | 1 → 8  | 12.35 → 30.00 | 0.50 → -       |\n");
  EXPECT_EQ(EpochProgressTable().markdown(2), "");
}

}  // namespace
}  // namespace stegolab
