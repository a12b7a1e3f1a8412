// The cluster module: shards of a sweep, the Slurm array script, running
// external programs and finding the Slurm job to requeue. (A real Slurm runs
// in tests/cluster/slurm_array_test.sh.)
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <set>

#include "cluster/program_run.hpp"
#include "cluster/slurm_requeue.hpp"
#include "cluster/slurm_script.hpp"
#include "stegolab/errors.hpp"
#include "sweep/shard_selection.hpp"

namespace stegolab {
namespace {

using ::testing::HasSubstr;

TEST(ShardSelection, ShardsAreDisjointAndTogetherHoldEveryTrial) {
  for (int64_t count : {1, 3, 4, 100}) {
    std::set<size_t> seen;
    int64_t total = 0;
    for (int64_t index = 0; index < count; ++index) {
      const ShardSelection shard =
          ShardSelection::parse(std::to_string(index) + "/" + std::to_string(count));
      int64_t held = 0;
      for (size_t position = 0; position < 10; ++position) {
        if (!shard.contains(position)) continue;
        EXPECT_TRUE(seen.insert(position).second) << "trial " << position << " in two shards";
        ++held;
      }
      EXPECT_EQ(held, shard.size_of(10));
      total += held;
    }
    EXPECT_EQ(total, 10);
  }
  EXPECT_EQ(ShardSelection::parse("2/4").text(), "2/4");
}

TEST(ShardSelection, BadTextIsOneLineNamingTheOption) {
  for (const char* text : {"", "1", "a/2", "-1/2", "1/0", "1/+2", "2x/4", "1/2/3"}) {
    try {
      ShardSelection::parse(text);
      FAIL() << "accepted \"" << text << "\"";
    } catch (const Error& error) {
      EXPECT_THAT(std::string(error.what()), HasSubstr("--shard: expected i/N"));
    }
  }
  try {
    ShardSelection::parse("4/4");
    FAIL() << "accepted 4/4";
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()),
              "--shard: shard 4 of 4 does not exist (shards count from 0 to 3)");
  }
}

TEST(SlurmScript, RunsOneShardPerArrayTaskIntoItsOwnDatabaseAndRequeuesOnTheWarning) {
  SlurmArrayRequest request;
  request.experiment_name = "grid";
  request.experiment_file = "/data/it's/grid.json";
  request.shards_folder = "/data/results/grid.shards";
  request.working_folder = "/data";
  request.stegolab = "/opt/stegolab/bin/stegolab";
  request.trials = 10;
  request.shards = 5;
  request.array_parallelism = 2;
  request.partition = "gpu";
  request.time = "01:00:00";
  request.gpus_per_task = 1;
  const std::string script = slurm_array_script(request);
  EXPECT_THAT(script, HasSubstr("#SBATCH --array=0-4%2\n"));
  EXPECT_THAT(script, HasSubstr("#SBATCH --requeue\n"));
  EXPECT_THAT(script, HasSubstr("#SBATCH --signal=B:USR1@120\n"));
  EXPECT_THAT(script, HasSubstr("#SBATCH --output=/data/results/grid.shards/%a.log\n"));
  EXPECT_THAT(script, HasSubstr("#SBATCH --partition=gpu\n#SBATCH --time=01:00:00\n"
                                "#SBATCH --gpus-per-task=1\n"));
  EXPECT_THAT(script, HasSubstr("exec '/opt/stegolab/bin/stegolab' run '/data/it'\\''s/grid.json' "
                                "--shard \"${shard}/5\" --db '/data/results/grid.shards'/"
                                "\"${shard}.db\" --requeue-on-signal"));
  EXPECT_EQ(script.rfind("#!/bin/bash\n", 0), 0u);
  EXPECT_LT(script.find("trap '' USR1\n"), script.find("exec "));
  EXPECT_EQ(shard_database("/r/x.shards", 3), std::filesystem::path("/r/x.shards/3.db"));
}

TEST(ProgramRun, CollectsOutputAndStatusWithoutAShell) {
  const ProgramRun echo = ProgramRun::run({"sh", "-c", "echo 'a b'; echo err >&2; exit 3"});
  EXPECT_EQ(echo.status, 3);
  EXPECT_EQ(echo.output, "a b\nerr\n");
  EXPECT_EQ(echo.first_output_line(), "a b");
  EXPECT_EQ(echo.last_output_line(), "err");
  const ProgramRun quoted = ProgramRun::run({"echo", "$HOME;", "'x'"});
  EXPECT_EQ(quoted.output, "$HOME; 'x'\n");
  const ProgramRun missing = ProgramRun::run({"no-such-program-here"});
  EXPECT_EQ(missing.status, -1);
  EXPECT_THAT(missing.output, HasSubstr("cannot run no-such-program-here"));
}

TEST(SlurmRequeue, FindsTheArrayTaskOrTheJobInTheEnvironment) {
  unsetenv("SLURM_JOB_ID");
  unsetenv("SLURM_ARRAY_JOB_ID");
  unsetenv("SLURM_ARRAY_TASK_ID");
  EXPECT_FALSE(slurm_job_from_environment());
  setenv("SLURM_JOB_ID", "1234", 1);
  EXPECT_EQ(slurm_job_from_environment(), "1234");
  setenv("SLURM_ARRAY_JOB_ID", "1200", 1);
  setenv("SLURM_ARRAY_TASK_ID", "7", 1);
  EXPECT_EQ(slurm_job_from_environment(), "1200_7");
  setenv("SLURM_JOB_ID", "12;rm", 1);
  unsetenv("SLURM_ARRAY_JOB_ID");
  EXPECT_FALSE(slurm_job_from_environment());
  unsetenv("SLURM_JOB_ID");
  unsetenv("SLURM_ARRAY_TASK_ID");
}

}  // namespace
}  // namespace stegolab
