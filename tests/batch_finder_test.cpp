// The batch-size finder: its search (doubling, then bisection) against fake
// "fits" predicates with known answers, and one real search on the CPU
// through the plugins with a small memory budget.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <set>
#include <sstream>

#include <unistd.h>

#include "support/build_locations.hpp"
#include "batch_finder/batch_search.hpp"
#include "batch_finder/batch_size_finder.hpp"
#include "plugin_host/plugin_registry.hpp"
#include "spec/experiment_spec.hpp"
#include "spec/registry_catalog.hpp"
#include "run/sweep_runner.hpp"
#include "store/result_store.hpp"
#include "stegolab/errors.hpp"
#include "trainer/registry_component_factory.hpp"

namespace stegolab {
namespace {

TEST(BatchSearch, FindsTheExactThresholdForManyThresholds) {
  // fits(b) == (b <= threshold): the answer is the threshold itself, clipped to the limit.
  for (const int64_t threshold : {1, 2, 3, 5, 7, 8, 9, 13, 31, 32, 33, 100, 1000}) {
    const auto result = search_largest_batch([&](int64_t b) { return b <= threshold; }, 4096);
    EXPECT_EQ(result.largest, threshold) << "threshold " << threshold;
  }
}

TEST(BatchSearch, ProbesEachBatchOnceAndAboutTwiceLog2Times) {
  // threshold 100: doubling 1,2,4,...,64 fit, 128 fails (8 probes), then
  // bisection of (64, 128) takes log2(64) = 6 probes: 14 in all.
  const auto result = search_largest_batch([](int64_t b) { return b <= 100; }, 4096);
  EXPECT_EQ(result.largest, 100);
  EXPECT_EQ(result.probes.size(), 14u);
  std::set<int64_t> seen;
  for (const auto& [batch, fits] : result.probes) {
    EXPECT_TRUE(seen.insert(batch).second) << "batch " << batch << " probed twice";
    EXPECT_EQ(fits, batch <= 100);
  }
  // The order is doubling first.
  EXPECT_EQ(result.probes[0].first, 1);
  EXPECT_EQ(result.probes[7].first, 128);
}

TEST(BatchSearch, StopsAtTheLimitAndReportsZeroWhenNothingFits) {
  // Everything fits: the limit (not a power of two) is the answer and is probed.
  const auto capped = search_largest_batch([](int64_t) { return true; }, 48);
  EXPECT_EQ(capped.largest, 48);
  EXPECT_EQ(capped.probes.back().first, 48);
  // Threshold just below a non-power-of-two limit.
  EXPECT_EQ(search_largest_batch([](int64_t b) { return b <= 47; }, 48).largest, 47);
  const auto none = search_largest_batch([](int64_t) { return false; }, 64);
  EXPECT_EQ(none.largest, 0);
  EXPECT_EQ(none.probes.size(), 1u);
  EXPECT_THROW(search_largest_batch([](int64_t) { return true; }, 0), Error);
}

// A tiny StarINN (1 block, hidden 8) on 32x32 synthetic images.
ExperimentSpec tiny_experiment(const PluginRegistry& registry) {
  const std::string text = R"({
    "name": "tiny",
    "data": {"plugin": "synthetic", "params": {"size": 32, "count": 600},
             "split": {"train": 0.9, "val": 0.05, "test": 0.05}},
    "transform": {"plugin": "haar_dwt", "params": {"levels": 1}},
    "model": {"plugin": "star_inn", "params": {"blocks": 1, "hidden": 8}},
    "loss": {"plugin": "stego_loss", "params": {}},
    "strategy": {"plugin": "standard", "params": {}},
    "train": {"epochs": 1, "batch_size": "auto", "device": "cpu", "threads": 1},
    "eval": {"batch_size": 4}
  })";
  return parse_experiment(text, "tiny.json", RegistryCatalog(registry));
}

class RealBatchFinder : public ::testing::Test {
 protected:
  void SetUp() override { registry_.discover({STEGOLAB_TEST_PLUGIN_DIR}); }
  PluginRegistry registry_;
};

TEST_F(RealBatchFinder, TheAnswerFitsTheBudgetAndTheNextLargerProbeDoesNot) {
  const ExperimentSpec spec = tiny_experiment(registry_);
  ASSERT_TRUE(spec.trials.at(0).train.batch_size_auto);
  RegistryComponentFactory factory(registry_);
  BatchFinderOptions options;
  // 48 MiB: measured with `stegolab tune-batch` on this configuration, a
  // training step + eval pass grows the RSS by ~1.5 MiB per image (batch 16:
  // 23 MiB, batch 32: 46 MiB), so the answer lies strictly inside (1, 540)
  // (about 25-28; the exact value depends on the allocator).
  options.budget_bytes = 48.0 * 1024 * 1024;
  options.margin = 0.1;
  const BatchFinderResult result = find_largest_batch(factory, spec.trials[0], options);
  EXPECT_EQ(result.limit, 540);  // 0.9 x 600 images: the training split
  EXPECT_GT(result.batch, 1);
  EXPECT_LT(result.batch, result.limit);
  // The probes' own measurements justify the answer.
  bool saw_answer = false;
  for (const auto& probe : result.probes) {
    EXPECT_TRUE(std::isfinite(probe.needed_mb));
    EXPECT_EQ(probe.fits, probe.needed_mb * 1.1 <= 48.0) << "batch " << probe.batch;
    if (probe.batch == result.batch) {
      saw_answer = true;
      EXPECT_TRUE(probe.fits);
    }
    if (probe.batch == result.batch + 1) EXPECT_FALSE(probe.fits);
    if (probe.fits) EXPECT_LE(probe.batch, result.batch);
  }
  EXPECT_TRUE(saw_answer);
}

TEST_F(RealBatchFinder, ABudgetBelowBatchOneIsAnErrorNamingTheTrial) {
  const ExperimentSpec spec = tiny_experiment(registry_);
  RegistryComponentFactory factory(registry_);
  BatchFinderOptions options;
  options.budget_bytes = 1024;  // 1 KiB: less than one 32x32 image's activations
  try {
    find_largest_batch(factory, spec.trials[0], options);
    FAIL() << "expected an Error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("not even batch 1 fits"), std::string::npos) << error.what();
  }
}

TEST_F(RealBatchFinder, TheRunnerResolvesAutoBeforeTheTrialAndRecordsTheBatch) {
  // 40 images, 80 % for training: the training split (32) caps the search,
  // and a 32-image step of this tiny model is far below half of any
  // machine's available memory, so "auto" must become exactly 32.
  std::string text = R"({
    "name": "tinyauto",
    "data": {"plugin": "synthetic", "params": {"size": 16, "count": 40},
             "split": {"train": 0.8, "val": 0.1, "test": 0.1}},
    "transform": {"plugin": "haar_dwt", "params": {"levels": 1}},
    "model": {"plugin": "star_inn", "params": {"blocks": 1, "hidden": 8}},
    "loss": {"plugin": "stego_loss", "params": {}},
    "strategy": {"plugin": "standard", "params": {}},
    "train": {"epochs": 1, "batch_size": "auto", "device": "cpu", "threads": 1},
    "eval": {"batch_size": 4}
  })";
  const ExperimentSpec spec = parse_experiment(text, "tinyauto.json", RegistryCatalog(registry_));
  // A folder of its own: the database leaves -wal, -shm and .lock files
  // beside it, and all of them must go when the test ends.
  const auto folder = std::filesystem::temp_directory_path() /
                      ("stegolab_auto_batch_" + std::to_string(::getpid()));
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder);
  const auto db = folder / "tinyauto.db";
  RunOptions options;
  options.database = db;
  std::ostringstream out;
  options.out = &out;
  SweepRunner runner(registry_, spec, options, nullptr);
  const RunSummary summary = runner.run();
  EXPECT_EQ(summary.done, 1) << out.str();
  EXPECT_NE(out.str().find("train.batch_size \"auto\" -> 32"), std::string::npos) << out.str();
  {
    ResultStore store(db, ResultStore::Mode::read_only);
    const auto trials = store.trials(summary.experiment_id);
    ASSERT_EQ(trials.size(), 1u);
    EXPECT_EQ(trials[0].config["train"]["batch_size"], 32);
    EXPECT_EQ(store.throughput(trials[0].id)->effective_batch, 32);
  }
  std::filesystem::remove_all(folder);
}

}  // namespace
}  // namespace stegolab
