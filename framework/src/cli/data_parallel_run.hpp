// The data-parallel side of `stegolab run`: --nproc (start local ranks),
// --ranks (join the ranks a launcher started) and --dist-timeout.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "distributed/data_parallel_group.hpp"
#include "distributed/rank_environment.hpp"
#include "run/sweep_runner.hpp"
#include "spec/experiment_spec.hpp"

namespace stegolab::cli {

struct DataParallelArguments {
  int nproc = 0;                    // --nproc: ranks to start here (0: none)
  std::optional<RankSource> ranks;  // --ranks: this process is one rank
  double timeout_seconds = 600.0;   // --dist-timeout
};

// `run`'s command line without --nproc, for the ranks --nproc starts.
std::vector<std::string> rank_command_line(const std::vector<std::string>& args);

// Refuses (one line naming the trial) a sweep whose trials `world` ranks
// cannot train: a batch size that is not a multiple of it, or "auto".
void check_shareable_batches(const ExperimentSpec& spec, int world);

// This process's rank in the group the launcher's variables describe;
// nullptr when there is no --ranks or the world has one rank. A CUDA device
// becomes this rank's GPU (cuda:LOCAL_RANK) in `options.device`.
std::unique_ptr<DataParallelGroup> join_ranks(const DataParallelArguments& arguments,
                                              const ExperimentSpec& spec, RunOptions& options);

// Rank 0's sweep, telling the other ranks when it ends, however it ends.
RunSummary lead_ranks(SweepRunner& runner, DataParallelGroup& group);

}  // namespace stegolab::cli
