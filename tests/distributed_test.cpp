// The distributed module: where a rank learns its place (torchrun's and
// Slurm's variables), and a data-parallel trial's shares, averages and
// gradients through a real c10d/Gloo group of two ranks (two threads here;
// tests/cluster/data_parallel_test.sh runs whole trials in two processes).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>
#include <filesystem>
#include <map>
#include <thread>

#include <torch/torch.h>

#include "cli/data_parallel_run.hpp"
#include "distributed/data_parallel_group.hpp"
#include "distributed/rank_environment.hpp"
#include "stegolab/errors.hpp"
#include "trainer/data_parallel_trial.hpp"

namespace stegolab {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::function<std::optional<std::string>(const std::string&)> variables(
    std::map<std::string, std::string> values) {
  return [values](const std::string& name) -> std::optional<std::string> {
    const auto found = values.find(name);
    if (found == values.end()) return std::nullopt;
    return found->second;
  };
}

std::string error_of(const std::function<void()>& call) {
  try {
    call();
  } catch (const Error& error) {
    return error.what();
  }
  return "";
}

TEST(RankEnvironment, ReadsTorchrunVariables) {
  const RankEnvironment environment =
      read_rank_environment(RankSource::torchrun, variables({{"RANK", "3"},
                                                             {"WORLD_SIZE", "4"},
                                                             {"LOCAL_RANK", "1"},
                                                             {"MASTER_ADDR", "node7"},
                                                             {"MASTER_PORT", "1234"}}));
  EXPECT_EQ(environment.rank, 3);
  EXPECT_EQ(environment.world, 4);
  EXPECT_EQ(environment.local_rank, 1);
  EXPECT_EQ(environment.master_addr, "node7");
  EXPECT_EQ(environment.master_port, 1234);
  EXPECT_TRUE(environment.rendezvous_file.empty());
}

TEST(RankEnvironment, ReadsSlurmVariablesAndTheFirstNodeAsMaster) {
  const RankEnvironment environment = read_rank_environment(
      RankSource::slurm, variables({{"SLURM_PROCID", "5"},
                                    {"SLURM_NTASKS", "8"},
                                    {"SLURM_LOCALID", "1"},
                                    {"SLURM_JOB_NODELIST", "gpu[03-05,9],cpu1"}}));
  EXPECT_EQ(environment.rank, 5);
  EXPECT_EQ(environment.world, 8);
  EXPECT_EQ(environment.local_rank, 1);
  EXPECT_EQ(environment.master_addr, "gpu03");
  EXPECT_EQ(environment.master_port, 29500);
  EXPECT_EQ(first_slurm_host("node1,node2"), "node1");
  EXPECT_EQ(first_slurm_host("a[7]"), "a7");
}

TEST(RankEnvironment, NamesAMissingOrBadVariable) {
  EXPECT_THAT(error_of([] {
                read_rank_environment(RankSource::torchrun, variables({{"WORLD_SIZE", "2"}}));
              }),
              HasSubstr("RANK is not set"));
  EXPECT_THAT(error_of([] {
                read_rank_environment(RankSource::torchrun,
                                      variables({{"WORLD_SIZE", "two"}, {"RANK", "0"}}));
              }),
              HasSubstr("WORLD_SIZE=\"two\""));
  EXPECT_THAT(error_of([] {
                read_rank_environment(RankSource::slurm,
                                      variables({{"SLURM_NTASKS", "2"}, {"SLURM_PROCID", "2"}}));
              }),
              HasSubstr("rank 2 is not below the world size 2"));
  EXPECT_THAT(error_of([] {
                read_rank_environment(RankSource::torchrun,
                                      variables({{"WORLD_SIZE", "2"}, {"RANK", "1"}}));
              }),
              HasSubstr("MASTER_ADDR is not set"));
  EXPECT_THAT(error_of([] { parse_rank_source("mpi"); }), HasSubstr("--ranks"));
}

TEST(RankCommandLine, DropsNprocAndJoinsThroughTheEnvironment) {
  EXPECT_THAT(cli::rank_command_line({"x.json", "--nproc", "2", "--threads", "1", "--nproc=3"}),
              ElementsAre("run", "x.json", "--threads", "1", "--ranks", "env"));
}

std::vector<int64_t> values_of(const torch::Tensor& tensor) {
  const torch::Tensor contiguous = tensor.to(torch::kLong).contiguous();
  return {contiguous.data_ptr<int64_t>(), contiguous.data_ptr<int64_t>() + contiguous.numel()};
}

// What one of two ranks saw, for the test thread to check.
struct RankView {
  std::vector<int64_t> training, evaluation;
  std::vector<std::pair<std::string, double>> means;
  int64_t all_samples = 0;
  bool someone_stopped = false;
  std::vector<float> start_weight, gradient;
  double loss = 0.0;
  std::string error;
};

void run_rank(int rank, const std::string& rendezvous, RankView& view) {
  try {
    RankEnvironment environment;
    environment.rank = rank;
    environment.world = 2;
    environment.rendezvous_file = rendezvous;
    DataParallelGroup group(environment, torch::kCPU, std::chrono::seconds(30));
    DataParallelTrial trial(group);
    TensorMap samples;
    samples.set("image", torch::arange(12, torch::kLong));
    view.training = values_of(trial.training_share(samples, 4).at("image"));
    TensorMap evaluation;
    evaluation.set("image", torch::arange(5, torch::kLong));
    view.evaluation = values_of(trial.evaluation_share(evaluation).at("image"));
    view.means = trial.mean_over_ranks({{"metric", rank == 0 ? 1.0 : 4.0}}, rank == 0 ? 3 : 1,
                                       view.all_samples);
    view.someone_stopped = trial.any_rank(rank == 1);

    // Different weights on the ranks; rank 0's win. The loss of rank r is
    // (r + 1) * sum(w): gradients 1 and 2, averaged 1.5; values 3 * (r + 1)
    // at w = 1, reported as their mean 4.5.
    auto layer = std::make_shared<torch::nn::LinearImpl>(torch::nn::LinearOptions(3, 1));
    {
      torch::NoGradGuard no_grad;
      layer->weight.fill_(rank == 0 ? 1.0 : 7.0);
      layer->bias.fill_(0.0);
    }
    TrialComponents components;
    components.modules = {{"layer", layer}};
    trial.attach(components);
    const torch::Tensor weight = layer->weight.detach().reshape({-1});
    view.start_weight = {weight.data_ptr<float>(), weight.data_ptr<float>() + weight.numel()};
    const float factor = static_cast<float>(rank + 1);
    LossFunction loss = trial.synchronised(
        [&](const MicroBatch&) {
          LossValue value;
          value.total = (layer->weight.sum() + layer->bias.sum()) * factor;
          return value;
        },
        1);
    LossValue value = loss(MicroBatch{});
    value.total.backward();
    view.loss = value.total.item<double>();
    const torch::Tensor gradient = layer->weight.grad().reshape({-1});
    view.gradient = {gradient.data_ptr<float>(), gradient.data_ptr<float>() + gradient.numel()};
  } catch (const std::exception& error) {
    view.error = error.what();
  }
}

TEST(DataParallelTrial, TwoRanksShareBatchesAndAverageLossesMetricsAndGradients) {
  const std::filesystem::path rendezvous =
      std::filesystem::temp_directory_path() /
      ("stegolab-distributed-test-" + std::to_string(getpid()));
  std::filesystem::remove(rendezvous);
  RankView views[2];
  std::thread other(run_rank, 1, rendezvous.string(), std::ref(views[1]));
  run_rank(0, rendezvous.string(), views[0]);
  other.join();
  std::filesystem::remove(rendezvous);
  ASSERT_EQ(views[0].error, "");
  ASSERT_EQ(views[1].error, "");
  // Global batches of 4 rows: rank 0 takes the first 2 of each, rank 1 the rest.
  EXPECT_THAT(views[0].training, ElementsAre(0, 1, 4, 5, 8, 9));
  EXPECT_THAT(views[1].training, ElementsAre(2, 3, 6, 7, 10, 11));
  EXPECT_THAT(views[0].evaluation, ElementsAre(0, 1, 2));
  EXPECT_THAT(views[1].evaluation, ElementsAre(3, 4));
  for (const RankView& view : views) {
    ASSERT_EQ(view.means.size(), 1u);
    EXPECT_DOUBLE_EQ(view.means[0].second, (3 * 1.0 + 1 * 4.0) / 4);
    EXPECT_EQ(view.all_samples, 4);
    EXPECT_TRUE(view.someone_stopped);
    EXPECT_THAT(view.start_weight, ElementsAre(1.0F, 1.0F, 1.0F));
    EXPECT_THAT(view.gradient, ElementsAre(1.5F, 1.5F, 1.5F));
    EXPECT_DOUBLE_EQ(view.loss, 4.5);
  }
}

TEST(DataParallelTrial, RefusesABatchTheRanksCannotShare) {
  EXPECT_THAT(error_of([] {
                ExperimentSpec spec;
                spec.file = "x.json";
                TrialSpec trial;
                trial.key = "lr=1#r0";
                trial.train.batch_size = 5;
                spec.trials.push_back(trial);
                cli::check_shareable_batches(spec, 2);
              }),
              HasSubstr("x.json: trial lr=1#r0: train.batch_size 5 cannot be shared by 2"));
}

}  // namespace
}  // namespace stegolab
