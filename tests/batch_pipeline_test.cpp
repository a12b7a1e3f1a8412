// The host-side data path: splits, uint8 -> [-1, 1] conversion and the
// prefetching batch pipeline of named sample lists. (The steganography
// task's pairing is tested in steganography_task_test.cpp.)
#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <torch/cuda.h>
#include <torch/torch.h>

#include "data/batch_pipeline.hpp"
#include "data/dataset_splits.hpp"
#include "data/joined_sources.hpp"
#include "data/repeated_samples.hpp"
#include "stegolab/errors.hpp"

namespace stegolab {
namespace {

std::vector<int64_t> to_vector(const torch::Tensor& t) {
  const torch::Tensor c = t.to(torch::kLong).contiguous();
  return {c.data_ptr<int64_t>(), c.data_ptr<int64_t>() + c.numel()};
}

// Two named lists as the steganography task composes them: covers in
// order, secrets the same list shifted by one.
TensorMap fixed_pairs(const torch::Tensor& indices) {
  const torch::Tensor covers = indices.to(torch::kLong).contiguous();
  return {{"cover", covers}, {"secret", torch::roll(covers, -1, 0).contiguous()}};
}

TEST(DatasetSplits, CountsFollowTheFractionsAndSplitsAreDisjoint) {
  DataSplit fractions{0.6, 0.2, 0.2};
  const DatasetSplits s = make_dataset_splits(20, fractions, 7);
  // 20 * 0.6 = 12, 20 * 0.2 = 4, the rest (4) to test since the fractions sum to 1.
  ASSERT_EQ(s.train.numel(), 12);
  ASSERT_EQ(s.val.numel(), 4);
  ASSERT_EQ(s.test.numel(), 4);
  std::set<int64_t> all;
  for (const auto& part : {s.train, s.val, s.test}) {
    for (int64_t i : to_vector(part))
      EXPECT_TRUE(all.insert(i).second) << "index " << i << " twice";
  }
  EXPECT_EQ(all.size(), 20u);
  EXPECT_EQ(*all.begin(), 0);
  EXPECT_EQ(*all.rbegin(), 19);
}

TEST(DatasetSplits, DeterministicFromTheSeedAndShuffled) {
  DataSplit fractions{0.5, 0.25, 0.25};
  const DatasetSplits a = make_dataset_splits(40, fractions, 3);
  const DatasetSplits b = make_dataset_splits(40, fractions, 3);
  const DatasetSplits c = make_dataset_splits(40, fractions, 4);
  EXPECT_EQ(to_vector(a.train), to_vector(b.train));
  EXPECT_EQ(to_vector(a.val), to_vector(b.val));
  EXPECT_EQ(to_vector(a.test), to_vector(b.test));
  EXPECT_NE(to_vector(a.train), to_vector(c.train));
  // A permutation, not the identity: the first 20 indices are not 0..19 in order.
  std::vector<int64_t> identity(20);
  for (int64_t i = 0; i < 20; ++i) identity[i] = i;
  EXPECT_NE(to_vector(a.train), identity);
}

TEST(DatasetSplits, FractionsBelowOneLeaveImagesUnused) {
  // 100 * 0.5 = 50, 100 * 0.1 = 10, 100 * 0.1 = 10; 30 unused.
  const DatasetSplits s = make_dataset_splits(100, DataSplit{0.5, 0.1, 0.1}, 1);
  EXPECT_EQ(s.train.numel(), 50);
  EXPECT_EQ(s.val.numel(), 10);
  EXPECT_EQ(s.test.numel(), 10);
}

TEST(DatasetSplits, RejectsSplitsThatCannotBePaired) {
  // 10 * 0.1 = 1 validation image: no other image to pair it with.
  EXPECT_THROW(make_dataset_splits(10, DataSplit{0.8, 0.1, 0.1}, 1), Error);
  EXPECT_THROW(make_dataset_splits(10, DataSplit{0.7, 0.3, 0.3}, 1), Error);  // sum > 1
  EXPECT_THROW(make_dataset_splits(10, DataSplit{-0.1, 0.5, 0.5}, 1), Error);
}

TEST(ToModelImages, MapsUint8NhwcToNchwMinusOneToOne) {
  // [1, H=2, W=2, C=3]; value at (h, w, c) = 10 * (2h + w) + c, except two pixels at 0 and 255.
  torch::Tensor images = torch::zeros({1, 2, 2, 3}, torch::kByte);
  for (int h = 0; h < 2; ++h)
    for (int w = 0; w < 2; ++w)
      for (int c = 0; c < 3; ++c) images[0][h][w][c] = 10 * (2 * h + w) + c;
  images[0][1][1][2] = 255;
  const torch::Tensor x = to_model_images(images);
  ASSERT_EQ(x.sizes(), (std::vector<int64_t>{1, 3, 2, 2}));
  EXPECT_EQ(x.scalar_type(), torch::kFloat);
  EXPECT_TRUE(x.is_contiguous());
  EXPECT_FLOAT_EQ(x[0][0][0][0].item<float>(), -1.0f);                  // 0 -> -1
  EXPECT_FLOAT_EQ(x[0][2][1][1].item<float>(), 1.0f);                   // 255 -> 1
  EXPECT_FLOAT_EQ(x[0][1][1][0].item<float>(), 21.0f / 127.5f - 1.0f);  // (h1, w0, c1) = 21
  EXPECT_FLOAT_EQ(x[0][2][0][1].item<float>(), 12.0f / 127.5f - 1.0f);  // (h0, w1, c2) = 12
}

// A source whose image i is filled with the value i (mod 256), recording calls.
class CountingSource : public ImageSource {
 public:
  explicit CountingSource(int64_t size, std::chrono::milliseconds delay = {})
      : size_(size), delay_(delay) {}
  int64_t size() const override { return size_; }
  ImageExtent extent(int64_t) const override { return {4, 4}; }
  ImageExtent sample_extent(bool) const override { return {4, 4}; }
  void seed_augmentations(uint64_t /*seed*/) override {}
  torch::Tensor load(const torch::Tensor& indices, torch::Device device, bool augment) override {
    std::this_thread::sleep_for(delay_);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      calls.push_back(to_vector(indices));
      augment_flags.push_back(augment);
    }
    loads.fetch_add(1);
    if (fail_on_call >= 0 && loads.load() == fail_on_call + 1)
      throw std::runtime_error("disk gone");
    return indices.remainder(256)
        .to(torch::kByte)
        .view({-1, 1, 1, 1})
        .expand({-1, 4, 4, 3})
        .contiguous()
        .to(device);
  }
  std::mutex mutex_;
  std::vector<std::vector<int64_t>> calls;
  std::vector<bool> augment_flags;
  std::atomic<int> loads{0};
  int fail_on_call = -1;

 private:
  int64_t size_;
  std::chrono::milliseconds delay_;
};

TEST(BatchPipeline, ServesCoversAndSecretsOfEachBatchInOrder) {
  auto source = std::make_shared<CountingSource>(20);
  TensorMap pairs = fixed_pairs(torch::tensor({3, 8, 1, 6, 4}, torch::kLong));
  BatchPipeline pipeline(source, torch::kCPU, true, pairs, 2, /*drop_last=*/true);
  EXPECT_EQ(pipeline.batch_count(), 2);  // 5 pairs / 2, remainder dropped
  const std::vector<std::vector<int64_t>> covers = {{3, 8}, {1, 6}};
  const std::vector<std::vector<int64_t>> secrets = {{8, 1}, {6, 4}};
  for (int b = 0; b < 2; ++b) {
    auto batch = pipeline.next();
    ASSERT_TRUE(batch.has_value());
    ASSERT_EQ(batch->at("cover").sizes(), (std::vector<int64_t>{2, 3, 4, 4}));
    for (int i = 0; i < 2; ++i) {
      // Image v holds pixel value v -> v / 127.5 - 1 in the model range.
      EXPECT_FLOAT_EQ(batch->at("cover")[i].mean().item<float>(), covers[b][i] / 127.5f - 1.0f);
      EXPECT_FLOAT_EQ(batch->at("secret")[i].mean().item<float>(), secrets[b][i] / 127.5f - 1.0f);
    }
  }
  EXPECT_FALSE(pipeline.next().has_value());
  // One load() per batch, covers then secrets, with the augment flag passed through.
  ASSERT_EQ(source->calls.size(), 2u);
  EXPECT_EQ(source->calls[0], (std::vector<int64_t>{3, 8, 8, 1}));
  EXPECT_EQ(source->calls[1], (std::vector<int64_t>{1, 6, 6, 4}));
  EXPECT_TRUE(source->augment_flags[0]);
  EXPECT_GE(pipeline.wait_seconds(), 0.0);
}

TEST(BatchPipeline, KeepsTheLastPartialBatchWhenAsked) {
  auto source = std::make_shared<CountingSource>(20);
  BatchPipeline pipeline(source, torch::kCPU, false, fixed_pairs(torch::arange(5, torch::kLong)), 2,
                         /*drop_last=*/false);
  EXPECT_EQ(pipeline.batch_count(), 3);  // 2 + 2 + 1
  int64_t images = 0;
  while (auto batch = pipeline.next()) images += batch->at("cover").size(0);
  EXPECT_EQ(images, 5);
  EXPECT_FALSE(source->augment_flags[0]);
}

TEST(BatchPipeline, PrefetchesTheNextBatchWhileTheCurrentOneIsUsed) {
  auto source = std::make_shared<CountingSource>(20);
  BatchPipeline pipeline(source, torch::kCPU, false, fixed_pairs(torch::arange(8, torch::kLong)), 2,
                         true);
  ASSERT_TRUE(pipeline.next().has_value());
  // Without another next() call, the second batch is being loaded in the background.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (source->loads.load() < 2 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_EQ(source->loads.load(), 2);
}

TEST(BatchPipeline, MeasuresTheTimeSpentWaitingForData) {
  // Each load takes 100 ms and the consumer does nothing: next() waits for
  // (nearly) all of it, at least 3 x 100 ms minus scheduling slack over 4 batches.
  auto source = std::make_shared<CountingSource>(20, std::chrono::milliseconds(100));
  BatchPipeline pipeline(source, torch::kCPU, false, fixed_pairs(torch::arange(8, torch::kLong)), 2,
                         true);
  while (pipeline.next()) {
  }
  EXPECT_GE(pipeline.wait_seconds(), 0.3);
}

TEST(BatchPipeline, RethrowsTheSourcesError) {
  auto source = std::make_shared<CountingSource>(20);
  source->fail_on_call = 1;  // the second load fails
  BatchPipeline pipeline(source, torch::kCPU, false, fixed_pairs(torch::arange(8, torch::kLong)), 2,
                         true);
  EXPECT_TRUE(pipeline.next().has_value());
  EXPECT_THROW(pipeline.next(), std::runtime_error);
}

// A source that makes its pixels on the host whatever device it is asked for.
class HostSource : public CountingSource {
 public:
  using CountingSource::CountingSource;
  torch::Tensor load(const torch::Tensor& indices, torch::Device, bool augment) override {
    return CountingSource::load(indices, torch::kCPU, augment);
  }
};

TEST(BatchPipelineOnCuda, ServesTheSameBatchesAsOnTheCpu) {
  if (!torch::cuda::is_available()) GTEST_SKIP() << "no CUDA device";
  const torch::Device cuda(torch::kCUDA, 0);
  for (const bool host_source : {false, true}) {
    std::shared_ptr<CountingSource> on_cuda =
        host_source ? std::make_shared<HostSource>(64) : std::make_shared<CountingSource>(64);
    auto on_cpu = std::make_shared<CountingSource>(64);
    const TensorMap pairs = fixed_pairs(torch::arange(64, torch::kLong));
    BatchPipeline gpu(on_cuda, cuda, false, pairs, 8, true);
    BatchPipeline cpu(on_cpu, torch::kCPU, false, pairs, 8, true);
    int batches = 0;
    while (auto expected = cpu.next()) {
      auto batch = gpu.next();
      ASSERT_TRUE(batch.has_value());
      ASSERT_TRUE(batch->at("cover").is_cuda());
      // Used on the default stream right away, as the trainer does.
      EXPECT_TRUE(batch->at("cover").mul(2).cpu().equal(expected->at("cover").mul(2)))
          << host_source;
      EXPECT_TRUE(batch->at("secret").cpu().equal(expected->at("secret"))) << host_source;
      ++batches;
    }
    EXPECT_EQ(batches, 8);
    EXPECT_FALSE(gpu.next().has_value());
  }
}

// A folder per split (DIV2K's train and valid folders): the split with its
// own source takes all of it, the others fractions of the shared source.
TEST(JoinedSources, ASplitWithItsOwnSourceTakesAllOfIt) {
  auto shared = std::make_shared<CountingSource>(10);
  auto validation = std::make_shared<CountingSource>(4);
  JoinedSources joined({{"", shared}, {"val", validation}});
  EXPECT_EQ(joined.size(), 14);
  const DatasetSplits splits = make_trial_splits(joined, DataSplit{0.8, 0.0, 0.2}, 3);
  EXPECT_EQ(to_vector(splits.val), (std::vector<int64_t>{10, 11, 12, 13}));
  EXPECT_EQ(splits.train.size(0), 8);
  EXPECT_EQ(splits.test.size(0), 2);
  for (const int64_t index : to_vector(torch::cat({splits.train, splits.test}))) EXPECT_LT(index, 10);
  // Index 11 is the validation source's image 1, loaded from it.
  const torch::Tensor images = joined.load(torch::tensor({11, 2}, torch::kLong), torch::kCPU, false);
  EXPECT_EQ(images[0][0][0][0].item<int>(), 1);
  EXPECT_EQ(images[1][0][0][0].item<int>(), 2);
  EXPECT_EQ(validation->calls.back(), (std::vector<int64_t>{1}));
  EXPECT_EQ(shared->calls.back(), (std::vector<int64_t>{2}));
}

class WideSource : public CountingSource {
 public:
  WideSource() : CountingSource(4) {}
  ImageExtent sample_extent(bool) const override { return {4, 8}; }
};

TEST(JoinedSources, SplitsMustCutSamplesOfOneSize) {
  try {
    JoinedSources joined({{"", std::make_shared<CountingSource>(10)},
                          {"test", std::make_shared<WideSource>()}});
    FAIL() << "samples of different sizes were joined";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("data.test"), std::string::npos) << error.what();
  }
}

TEST(RepeatedSamples, EachSampleServesSeveralCropsInARow) {
  const TensorMap samples = fixed_pairs(torch::arange(3, torch::kLong));
  EXPECT_EQ(samples_before_repeats(7, 3), 3);
  const TensorMap repeated = repeat_samples(samples, 3, 7);
  EXPECT_EQ(to_vector(repeated.at("cover")), (std::vector<int64_t>{0, 0, 0, 1, 1, 1, 2}));
  EXPECT_EQ(to_vector(repeated.at("secret")), (std::vector<int64_t>{1, 1, 1, 2, 2, 2, 0}));
}

}  // namespace
}  // namespace stegolab
