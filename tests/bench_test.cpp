// `stegolab bench step` and `bench matrix` on a tiny StarINN (1 block,
// hidden 8, 16x16 synthetic images): the step benchmark's figures are
// positive and consistent with each other, and the matrix writes one
// throughput row per trial into the database under "<name>-bench".
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>

#include <sys/wait.h>
#include <unistd.h>

#include "support/build_locations.hpp"
#include "bench/step_benchmark.hpp"
#include "bench/trial_selection.hpp"
#include "plugin_host/plugin_registry.hpp"
#include "spec/experiment_spec.hpp"
#include "spec/registry_catalog.hpp"
#include "stegolab/errors.hpp"
#include "store/result_store.hpp"
#include "trainer/registry_component_factory.hpp"

namespace stegolab {
namespace {

const char* kExperiment = R"({
  "name": "tinybench",
  "data": {"plugin": "synthetic", "params": {"size": 16, "count": 40},
           "split": {"train": 0.8, "val": 0.1, "test": 0.1}},
  "transform": {"plugin": "haar_dwt", "params": {"levels": 1}},
  "model": {"plugin": "star_inn", "params": {"blocks": 1, "hidden": 8}},
  "loss": {"plugin": "stego_loss", "params": {}},
  "strategy": {"plugin": "standard", "params": {}},
  "train": {"epochs": 5, "batch_size": 4, "device": "cpu", "threads": 1},
  "eval": {"batch_size": 4},
  "sweep": {"axes": {"transform.plugin": ["haar_dwt", "ilwt53"]}}
})";

std::string run_shell(const std::string& command, int* status) {
  std::string output;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  std::array<char, 4096> buffer{};
  size_t count = 0;
  while ((count = fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
    output.append(buffer.data(), count);
  const int raw = pclose(pipe);
  *status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return output;
}

class BenchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("stegolab_bench_test_" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ / "tiny.json") << kExperiment;
    registry_.discover({STEGOLAB_TEST_PLUGIN_DIR});
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string command(const std::string& args) const {
    return std::string(STEGOLAB_TEST_BINARY) + " " + args + " --plugin-path " +
           STEGOLAB_TEST_PLUGIN_DIR;
  }
  std::filesystem::path dir_;
  PluginRegistry registry_;
};

TEST(Quantile, InterpolatesLinearlyBetweenSortedValues) {
  // Sorted {1, 2, 3, 4, 10}: position q*(n-1); 0.5 -> 3; 0.1 -> 0.4 -> 1.4; 0.9 -> 3.6 -> 4 + 0.6*6
  // = 7.6.
  const std::vector<double> values = {10, 2, 4, 1, 3};
  EXPECT_DOUBLE_EQ(quantile(values, 0.5), 3.0);
  EXPECT_DOUBLE_EQ(quantile(values, 0.1), 1.4);
  EXPECT_DOUBLE_EQ(quantile(values, 0.9), 7.6);
  EXPECT_THROW(quantile({}, 0.5), Error);
}

TEST_F(BenchTest, StepBenchmarkFiguresArePositiveAndConsistent) {
  const ExperimentSpec spec =
      parse_experiment(kExperiment, "tiny.json", RegistryCatalog(registry_));
  TrialSpec trial = spec.trials.at(0);
  trial.train.device = "cpu";
  RegistryComponentFactory factory(registry_);
  StepBenchmarkOptions options;
  options.batch = 3;
  options.steps = 5;
  options.warmup = 1;
  const StepBenchmarkResult r = run_step_benchmark(factory, trial, options);
  EXPECT_EQ(r.batch, 3);
  EXPECT_EQ(r.image_size, 16);
  EXPECT_EQ(r.channels, 3);
  ASSERT_EQ(r.step_seconds.size(), 5u);  // warm-up steps are not timed
  EXPECT_GT(r.median_seconds, 0.0);
  EXPECT_LE(r.p10_seconds, r.median_seconds);
  EXPECT_GE(r.p90_seconds, r.median_seconds);
  EXPECT_NEAR(r.images_per_s, 3.0 / r.median_seconds, 1e-9 * r.images_per_s);
  EXPECT_GT(r.forward_flops_per_image, 0.0);
  EXPECT_DOUBLE_EQ(r.training_flops_per_image, 3.0 * r.forward_flops_per_image);
  EXPECT_NEAR(r.gflops_per_s, r.training_flops_per_image * 3.0 / r.median_seconds / 1e9,
              1e-9 * r.gflops_per_s);
  // Peak RSS: at least the process's baseline, and a LibTorch process is
  // never below a few MiB.
  EXPECT_GE(r.peak_memory_mb, r.baseline_memory_mb);
  EXPECT_GT(r.baseline_memory_mb, 10.0);
  EXPECT_EQ(r.device, "cpu");
}

TEST_F(BenchTest, StepCommandPrintsSaneNumbers) {
  int status = 0;
  const std::string output =
      run_shell(command("bench step " + (dir_ / "tiny.json").string() +
                        " --trial ilwt53 --steps 3 --warmup 1 --threads 1 --matmul 256"),
                &status);
  ASSERT_EQ(status, 0) << output;
  EXPECT_NE(output.find("[transform.plugin=ilwt53"), std::string::npos) << output;
  std::smatch match;
  ASSERT_TRUE(std::regex_search(output, match, std::regex(R"(images/s\s+([0-9.]+))"))) << output;
  EXPECT_GT(std::stod(match[1]), 0.0);
  ASSERT_TRUE(std::regex_search(output, match, std::regex(R"(median ([0-9.]+) ms)"))) << output;
  EXPECT_GT(std::stod(match[1]), 0.0);
  ASSERT_TRUE(std::regex_search(output, match, std::regex(R"(training step ([0-9.]+) GFLOP)")))
      << output;
  EXPECT_GT(std::stod(match[1]), 0.0);
  ASSERT_TRUE(std::regex_search(output, match, std::regex(R"(conv peak\s+([0-9.]+) GFLOP/s)")))
      << output;
  EXPECT_GT(std::stod(match[1]), 0.0);
  ASSERT_TRUE(std::regex_search(output, match, std::regex(R"(matmul peak\s+([0-9.]+) GFLOP/s)")))
      << output;
  EXPECT_GT(std::stod(match[1]), 0.0);
  // A key that matches no trial lists the keys.
  const std::string bad =
      run_shell(command("bench step " + (dir_ / "tiny.json").string() + " --trial nope"), &status);
  EXPECT_EQ(status, 1);
  EXPECT_NE(bad.find("no trial key contains \"nope\""), std::string::npos) << bad;
}

TEST_F(BenchTest, StepCommandMeasuresThePeaksInTheRequestedDataType) {
  int status = 0;
  const std::string output =
      run_shell(command("bench step " + (dir_ / "tiny.json").string() +
                        " --steps 1 --warmup 0 --threads 1 --matmul 128 --peak-dtype bf16"),
                &status);
  ASSERT_EQ(status, 0) << output;
  EXPECT_NE(output.find("GFLOP/s (bf16 3x3 conv"), std::string::npos) << output;
  EXPECT_NE(output.find("GFLOP/s (bf16 128^3 product"), std::string::npos) << output;
  std::smatch match;
  ASSERT_TRUE(std::regex_search(output, match,
                                std::regex(R"(matmul peak .* the step reaches ([0-9.]+) % of it)")))
      << output;
  EXPECT_GT(std::stod(match[1]), 0.0);
  const std::string bad = run_shell(
      command("bench step " + (dir_ / "tiny.json").string() + " --peak-dtype fp8"), &status);
  EXPECT_EQ(status, 1);
  EXPECT_NE(bad.find("--peak-dtype: expected fp32, bf16 or fp16, got 'fp8'"), std::string::npos)
      << bad;
}

TEST_F(BenchTest, MatrixWritesAThroughputRowPerTrialUnderItsOwnName) {
  const auto db = dir_ / "bench.db";
  int status = 0;
  const std::string output = run_shell(command("bench matrix " + (dir_ / "tiny.json").string() +
                                               " --steps 2 --threads 1 --db " + db.string()),
                                       &status);
  ASSERT_EQ(status, 0) << output;
  ResultStore store(db, ResultStore::Mode::read_only);
  const auto experiments = store.experiments();
  ASSERT_EQ(experiments.size(), 1u);
  EXPECT_EQ(experiments[0].name, "tinybench-bench");
  const auto trials = store.trials(experiments[0].id);
  ASSERT_EQ(trials.size(), 2u);  // one per transform of the sweep
  for (const auto& trial : trials) {
    EXPECT_EQ(trial.status, TrialStatus::done) << trial.key;
    const auto throughput = store.throughput(trial.id);
    ASSERT_TRUE(throughput.has_value()) << trial.key;
    EXPECT_GT(throughput->train_images_per_s, 0.0);
    EXPECT_GT(throughput->step_time_ms, 0.0);
    EXPECT_EQ(throughput->effective_batch, 4);
    EXPECT_EQ(trial.last_epoch, 0);  // one epoch (index 0), not the experiment's five
  }
  // One epoch of 2 steps, not the experiment's 5 epochs: one epoch of rows.
  EXPECT_NE(output.find("2 trials benchmarked (2 steps each)"), std::string::npos) << output;
}

}  // namespace

// A catalog of one model, with or without a `memory` parameter.
class OneModelCatalog : public stegolab::PluginCatalog {
 public:
  explicit OneModelCatalog(bool declares_memory) {
    info_.kind = "model";
    info_.name = declares_memory ? "with_memory" : "plain_cnn";
    if (declares_memory) info_.params = {{"memory", "string", "standard", ""}};
  }
  const stegolab::PluginInfo& info(const std::string&, const std::string&) const override {
    return info_;
  }
  nlohmann::json resolve_params(const std::string&, const std::string&,
                                const nlohmann::json& params) const override {
    return params;
  }

 private:
  stegolab::PluginInfo info_;
};

TEST(BenchOverrides, MemoryGoesOnlyToComponentsThatDeclareIt) {
  stegolab::TrialSpec trial;
  trial.key = "k#r0";
  trial.train.device = "cpu";
  stegolab::TrialOverrides overrides;
  overrides.memory = "recompute";
  trial.sections["model"] = {"with_memory", nlohmann::json::object()};
  stegolab::apply_overrides(trial, overrides, "x.json", OneModelCatalog(true));
  EXPECT_EQ(trial.sections.at("model").params.at("memory"), "recompute");

  stegolab::TrialSpec plain = trial;
  plain.sections["model"] = {"plain_cnn", nlohmann::json::object()};
  try {
    stegolab::apply_overrides(plain, overrides, "x.json", OneModelCatalog(false));
    FAIL() << "expected an Error";
  } catch (const stegolab::Error& error) {
    EXPECT_EQ(std::string(error.what()),
              "--memory: no component of trial 'k#r0' declares a 'memory' parameter (model "
              "'plain_cnn')");
  }
  EXPECT_FALSE(plain.sections.at("model").params.contains("memory"));
}

}  // namespace stegolab
