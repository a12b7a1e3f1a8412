// The device module: peak memory, step timing, the transfer stream, and GPU
// utilisation sampling (statistics, the sampler thread, NVML loading and the
// per-trial window). The sampler and the window are tested through injected
// reading functions, so the CPU suite covers them; the tests that need a GPU
// skip themselves without one.
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <sys/resource.h>

#include <c10/core/CPUAllocator.h>
#include <gtest/gtest.h>
#include <torch/cuda.h>
#include <torch/torch.h>

#include "device/caching_host_allocator.hpp"
#include "device/cuda_backend.hpp"
#include "device/host_heap_settings.hpp"
#include "device/nvml_library.hpp"
#include "device/peak_memory.hpp"
#include "device/step_timer.hpp"
#include "device/transfer_stream.hpp"
#include "device/trial_utilisation.hpp"
#include "device/utilisation_sampler.hpp"
#include "device/utilisation_statistics.hpp"

namespace stegolab {
namespace {

using namespace std::chrono_literals;

const torch::Device kCuda(torch::kCUDA, 0);

bool has_cuda() { return torch::cuda::is_available(); }

// Waits (up to 10 s) until `done` holds.
template <typename Condition>
bool eventually(Condition done) {
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

long minor_page_faults() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_minflt;
}

constexpr std::size_t kMiB = std::size_t{1} << 20;

TEST(CachingHostAllocator, AFreedLargeBlockIsHandedOutAgain) {
  auto& allocator = CachingHostAllocator::instance();
  allocator.release_cached();
  void* first = nullptr;
  {
    const c10::DataPtr block = allocator.allocate(4 * kMiB);
    first = block.get();
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(first) % 64, 0u);  // LibTorch's alignment
  }
  EXPECT_EQ(allocator.cached_bytes(), 4 * kMiB);
  // A slightly different size rounds to the same block.
  const c10::DataPtr again = allocator.allocate(4 * kMiB - 100);
  EXPECT_EQ(again.get(), first);
  EXPECT_EQ(allocator.cached_bytes(), 0u);
}

TEST(CachingHostAllocator, SmallBlocksAreLeftToTheDefaultAllocator) {
  auto& allocator = CachingHostAllocator::instance();
  const std::size_t in_use = allocator.in_use_bytes();
  const c10::DataPtr small = allocator.allocate(64 * 1024);
  EXPECT_NE(small.get(), nullptr);
  EXPECT_EQ(allocator.in_use_bytes(), in_use);
}

TEST(CachingHostAllocator, OffersTheRawInterfaceLibTorchKernelsUse) {
  // oneDNN's scratch buffers come through raw_allocate/raw_deallocate, which
  // LibTorch only allows when the context is the data pointer.
  auto& allocator = CachingHostAllocator::instance();
  ASSERT_NE(allocator.raw_deleter(), nullptr);
  for (const std::size_t bytes : {std::size_t{256}, 3 * kMiB}) {
    void* data = allocator.raw_allocate(bytes);
    ASSERT_NE(data, nullptr);
    std::memset(data, 7, bytes);
    allocator.raw_deallocate(data);
  }
}

TEST(CachingHostAllocator, IdleMemoryNeverExceedsThePeakInUse) {
  auto& allocator = CachingHostAllocator::instance();
  allocator.release_cached();
  const std::size_t cached_before = allocator.cached_bytes();
  {
    const c10::DataPtr a = allocator.allocate(8 * kMiB);
    const c10::DataPtr b = allocator.allocate(8 * kMiB);
  }
  const std::size_t cached = allocator.cached_bytes();
  EXPECT_EQ(cached, cached_before + 16 * kMiB);
  allocator.release_cached();
  EXPECT_EQ(allocator.cached_bytes(), 0u);
}

TEST(CachingHostAllocator, InstalledItSparesLibTorchTheRefaultsOfLargeTensors) {
  // 64 MiB: above glibc's largest mmap threshold, so the default allocator
  // unmaps it on free and all 16384 pages fault again on the next step.
  const auto faults_of_a_large_tensor = [] {
    const long before = minor_page_faults();
    torch::empty({64 << 20}, torch::kByte).fill_(1);
    return minor_page_faults() - before;
  };
  faults_of_a_large_tensor();
  if (!CachingHostAllocator::installed()) EXPECT_GT(faults_of_a_large_tensor(), 8000);
  CachingHostAllocator::install();
  EXPECT_EQ(c10::GetCPUAllocator(), &CachingHostAllocator::instance());
  faults_of_a_large_tensor();  // its first block
  EXPECT_LT(faults_of_a_large_tensor(), 1000);
  // oneDNN convolutions (with their scratch buffers) run on it, and agree
  // with a reference computed the slow way.
  const auto x = torch::rand({2, 16, 24, 24});
  const auto w = torch::rand({16, 16, 3, 3});
  const auto y = torch::conv2d(x, w, {}, 1, 1);
  const auto reference = torch::conv2d(x.to(torch::kDouble), w.to(torch::kDouble), {}, 1, 1);
  EXPECT_TRUE(torch::allclose(y.to(torch::kDouble), reference, 1e-4, 1e-3));
}

TEST(HostHeapSettings, SmallTensorsReuseTheirPagesStepAfterStep) {
  // A "step" of 192 activations of 512 KiB (below the caching allocator's
  // 1 MiB; 96 MiB in all), allocated, used and freed. glibc by default maps
  // such blocks, or gives the heap's top back to the system once more than
  // twice its (at most 32 MiB) mmap threshold is free there: either way each
  // step faults its 24,576 pages in again, whatever state the heap was in.
  apply_host_heap_settings();
  const auto faults_of_a_step = [] {
    const long before = minor_page_faults();
    std::vector<torch::Tensor> activations;
    for (int i = 0; i < 192; ++i) activations.push_back(torch::empty({512 << 10}, torch::kByte));
    for (auto& activation : activations) activation.fill_(1);
    activations.clear();
    return minor_page_faults() - before;
  };
  // The heap settles within a few steps (measured: 5 in a plain C loop).
  for (int step = 0; step < 6; ++step) faults_of_a_step();
  long faults = 0;
  for (int step = 0; step < 4; ++step) faults += faults_of_a_step();
  EXPECT_LT(faults, 1000);  // against 4 x 24,576 when every step faults its pages in
}

TEST(PeakMemory, CpuPeakRisesWithAnAllocationAndResets) {
  reset_peak_memory(torch::kCPU);
  const double before = peak_memory_mb(torch::kCPU);
  ASSERT_TRUE(std::isfinite(before));
  {
    // 64 MiB, written so the pages are resident.
    torch::Tensor big = torch::ones({16 * 1024 * 1024}, torch::kFloat);
    EXPECT_GE(peak_memory_mb(torch::kCPU), before + 60.0);
  }
  reset_peak_memory(torch::kCPU);
  EXPECT_LT(peak_memory_mb(torch::kCPU), before + 60.0);
}

TEST(StepTimer, CpuStepsFollowTheSteadyClock) {
  StepTimer timer(torch::kCPU);
  for (int i = 0; i < 3; ++i) {
    timer.begin();
    std::this_thread::sleep_for(20ms);
    timer.end();
  }
  const std::vector<double> seconds = timer.seconds();
  ASSERT_EQ(seconds.size(), 3u);
  for (double s : seconds) {
    EXPECT_GE(s, 0.019);
    EXPECT_LT(s, 5.0);
  }
}

TEST(StepTimer, EndWithoutBeginIsAnError) {
  StepTimer timer(torch::kCPU);
  EXPECT_THROW(timer.end(), std::logic_error);
}

TEST(TransferStream, CpuRunsTheLoadInPlaceAndHandsOverAsIs) {
  const auto transfer = make_transfer_stream(torch::kCPU);
  bool ran = false;
  const std::vector<torch::Tensor> produced = transfer->produce([&] {
    ran = true;
    return std::vector<torch::Tensor>{torch::arange(4)};
  });
  EXPECT_TRUE(ran);
  ASSERT_EQ(produced.size(), 1u);
  EXPECT_TRUE(produced[0].equal(torch::arange(4)));
  EXPECT_TRUE(transfer->upload(produced[0]).device().is_cpu());
  transfer->hand_over(produced);
}

TEST(CudaBackend, IsCompiledInWheneverLibTorchSeesAGpu) {
  if (has_cuda()) EXPECT_TRUE(cuda_backend::compiled_in());
  if (!cuda_backend::compiled_in()) EXPECT_FALSE(has_cuda());
}

TEST(UtilisationStatistics, MeanAndMaximumOfTheReadings) {
  UtilisationStatistics statistics;
  EXPECT_TRUE(statistics.extras().empty());
  EXPECT_TRUE(std::isnan(statistics.mean_gpu_percent()));
  statistics.add({20.0, 10.0, 1000.0});
  statistics.add({80.0, 30.0, 3000.0});
  statistics.add({50.0, 20.0, 2000.0});
  EXPECT_EQ(statistics.samples(), 3);
  EXPECT_DOUBLE_EQ(statistics.mean_gpu_percent(), 50.0);
  EXPECT_DOUBLE_EQ(statistics.max_gpu_percent(), 80.0);
  EXPECT_DOUBLE_EQ(statistics.mean_memory_busy_percent(), 20.0);
  EXPECT_DOUBLE_EQ(statistics.max_memory_busy_percent(), 30.0);
  EXPECT_DOUBLE_EQ(statistics.max_memory_used_mb(), 3000.0);
  const nlohmann::json extras = statistics.extras();
  EXPECT_DOUBLE_EQ(extras.at("gpu_util_mean").get<double>(), 50.0);
  EXPECT_DOUBLE_EQ(extras.at("gpu_util_max").get<double>(), 80.0);
  EXPECT_DOUBLE_EQ(extras.at("gpu_mem_busy_mean").get<double>(), 20.0);
  EXPECT_DOUBLE_EQ(extras.at("gpu_mem_busy_max").get<double>(), 30.0);
  EXPECT_DOUBLE_EQ(extras.at("gpu_mem_used_max_mb").get<double>(), 3000.0);
  EXPECT_EQ(extras.at("gpu_util_samples").get<int64_t>(), 3);
}

// A fake device whose utilisation is 10, 20, 30, ... percent on successive
// reads; every read with `failing_every` dividing its number fails.
class RisingReadings {
 public:
  explicit RisingReadings(int failing_every = 0) : failing_every_(failing_every) {}
  UtilisationSampler::Read function() {
    return [this]() -> std::optional<GpuReading> {
      const int n = ++calls_;
      if (failing_every_ > 0 && n % failing_every_ == 0) return std::nullopt;
      last_ = 10.0 * n;
      sum_ += last_;
      ++answered_;
      return GpuReading{last_, last_ / 2, 100.0 * n};
    };
  }
  int calls() const { return calls_.load(); }
  // Read only after the sampler stopped.
  int answered() const { return answered_; }
  double last() const { return last_; }
  double sum() const { return sum_; }

 private:
  int failing_every_;
  std::atomic<int> calls_{0};
  int answered_ = 0;
  double last_ = 0.0;
  double sum_ = 0.0;
};

TEST(UtilisationSampler, AggregatesEveryReadingUntilStopped) {
  RisingReadings readings;
  UtilisationSampler sampler(readings.function(), 1ms);
  ASSERT_TRUE(eventually([&] { return readings.calls() >= 5; }));
  const UtilisationStatistics statistics = sampler.stop();
  const int calls = readings.calls();
  EXPECT_EQ(statistics.samples(), calls);
  EXPECT_DOUBLE_EQ(statistics.max_gpu_percent(), readings.last());
  EXPECT_DOUBLE_EQ(statistics.mean_gpu_percent(), readings.sum() / calls);
  EXPECT_DOUBLE_EQ(statistics.max_memory_used_mb(), 100.0 * calls);
  // Stopped means stopped: no more reads, and the same answer again.
  std::this_thread::sleep_for(10ms);
  EXPECT_EQ(readings.calls(), calls);
  EXPECT_EQ(sampler.stop().samples(), calls);
}

TEST(UtilisationSampler, SkipsReadingsThatFail) {
  RisingReadings readings(/*failing_every=*/2);
  UtilisationSampler sampler(readings.function(), 1ms);
  ASSERT_TRUE(eventually([&] { return readings.calls() >= 6; }));
  const UtilisationStatistics statistics = sampler.stop();
  EXPECT_EQ(statistics.samples(), readings.answered());
  EXPECT_LT(statistics.samples(), readings.calls());
  EXPECT_DOUBLE_EQ(statistics.mean_gpu_percent(), readings.sum() / readings.answered());
}

TEST(UtilisationSampler, ReadsAtTheRequestedPeriod) {
  RisingReadings readings;
  UtilisationSampler sampler(readings.function(), 100ms);
  std::this_thread::sleep_for(350ms);
  const UtilisationStatistics statistics = sampler.stop();
  // At 0, 100, 200, 300 ms; a loaded machine may lose one.
  EXPECT_GE(statistics.samples(), 3);
  EXPECT_LE(statistics.samples(), 5);
}

TEST(NvmlLibrary, AMissingLibraryIsAnAnswerNotAnError) {
  std::string why;
  const auto library = NvmlLibrary::open("libstegolab-no-such-nvml.so.1", &why);
  EXPECT_EQ(library, nullptr);
  EXPECT_NE(why.find("libstegolab-no-such-nvml.so.1"), std::string::npos) << why;
}

TEST(TrialUtilisation, WithoutNvmlItSaysSoOnceAndRecordsNothing) {
  int asked = 0;
  TrialUtilisation utilisation([&](torch::Device, std::string* why) {
    ++asked;
    *why = "NVML (libnvidia-ml.so.1) is not available: no driver";
    return UtilisationSampler::Read{};
  });
  std::ostringstream notes;
  for (int trial = 0; trial < 3; ++trial) {
    utilisation.begin(kCuda, notes);
    EXPECT_TRUE(utilisation.end().empty());
  }
  EXPECT_EQ(asked, 3);
  EXPECT_EQ(notes.str(),
            "GPU utilisation is not recorded: NVML (libnvidia-ml.so.1) is not available: no "
            "driver\n");
}

TEST(TrialUtilisation, AFailingLookupIsReportedLikeAnAbsentLibrary) {
  TrialUtilisation utilisation([](torch::Device, std::string*) -> UtilisationSampler::Read {
    throw std::runtime_error("cudaDeviceGetPCIBusId failed");
  });
  std::ostringstream notes;
  utilisation.begin(kCuda, notes);
  EXPECT_TRUE(utilisation.end().empty());
  EXPECT_NE(notes.str().find("cudaDeviceGetPCIBusId failed"), std::string::npos) << notes.str();
}

TEST(TrialUtilisation, ACpuTrialIsNeitherSampledNorCommentedOn) {
  int asked = 0;
  TrialUtilisation utilisation([&](torch::Device, std::string*) {
    ++asked;
    return UtilisationSampler::Read{};
  });
  std::ostringstream notes;
  utilisation.begin(torch::kCPU, notes);
  EXPECT_TRUE(utilisation.end().empty());
  EXPECT_EQ(asked, 0);
  EXPECT_TRUE(notes.str().empty());
}

TEST(TrialUtilisation, SamplesACudaTrialFromBeginToEnd) {
  RisingReadings readings;
  torch::Device asked_for = torch::kCPU;
  TrialUtilisation utilisation(
      [&](torch::Device device, std::string*) {
        asked_for = device;
        return readings.function();
      },
      1ms);
  std::ostringstream notes;
  utilisation.begin(kCuda, notes);
  ASSERT_TRUE(eventually([&] { return readings.calls() >= 3; }));
  const nlohmann::json extras = utilisation.end();
  EXPECT_EQ(asked_for, kCuda);
  EXPECT_TRUE(notes.str().empty());
  EXPECT_EQ(extras.at("gpu_util_samples").get<int>(), readings.calls());
  EXPECT_DOUBLE_EQ(extras.at("gpu_util_max").get<double>(), readings.last());
  // The window is closed: a second end() has nothing.
  EXPECT_TRUE(utilisation.end().empty());
}

// --- On a GPU ---------------------------------------------------------------

TEST(PeakMemoryOnCuda, FollowsTheAllocatorAndResets) {
  if (!has_cuda()) GTEST_SKIP() << "no CUDA device";
  reset_peak_memory(kCuda);
  const double before = peak_memory_mb(kCuda);
  {
    torch::Tensor big = torch::empty({64 * 1024 * 1024}, torch::TensorOptions().device(kCuda));
    EXPECT_NEAR(peak_memory_mb(kCuda), before + 256.0, 4.0);
  }
  reset_peak_memory(kCuda);
  EXPECT_LT(peak_memory_mb(kCuda), before + 4.0);
}

TEST(StepTimerOnCuda, EventsTimeTheQueuedWork) {
  if (!has_cuda()) GTEST_SKIP() << "no CUDA device";
  const torch::Tensor a = torch::randn({2048, 2048}, torch::TensorOptions().device(kCuda));
  StepTimer timer(kCuda);
  for (int i = 0; i < 3; ++i) {
    timer.begin();
    for (int k = 0; k < 8; ++k) (void)torch::mm(a, a);
    timer.end();
  }
  const std::vector<double> seconds = timer.seconds();
  ASSERT_EQ(seconds.size(), 3u);
  for (double s : seconds) {
    EXPECT_GT(s, 0.0);
    EXPECT_LT(s, 10.0);
  }
}

TEST(TransferStreamOnCuda, HandsOverWhatTheSideStreamProduced) {
  if (!has_cuda()) GTEST_SKIP() << "no CUDA device";
  const auto transfer = make_transfer_stream(kCuda);
  const torch::Tensor host = torch::arange(1 << 20, torch::kFloat);
  for (int round = 0; round < 3; ++round) {
    const std::vector<torch::Tensor> produced = transfer->produce([&] {
      // Queued on the side stream: an upload and a kernel reading it.
      return std::vector<torch::Tensor>{transfer->upload(host) * 2};
    });
    transfer->hand_over(produced);
    ASSERT_TRUE(produced[0].is_cuda());
    EXPECT_TRUE(produced[0].cpu().equal(host * 2));
  }
}

TEST(TrialUtilisationOnCuda, NvmlSamplesTheTrialsGpu) {
  if (!has_cuda()) GTEST_SKIP() << "no CUDA device";
  std::string why;
  if (!NvmlLibrary::open(NvmlLibrary::kDefaultFile, &why)) GTEST_SKIP() << why;
  std::ostringstream notes;
  TrialUtilisation& utilisation = TrialUtilisation::process();
  utilisation.begin(kCuda, notes);
  const torch::Tensor a = torch::randn({4096, 4096}, torch::TensorOptions().device(kCuda));
  const auto until = std::chrono::steady_clock::now() + 500ms;
  while (std::chrono::steady_clock::now() < until) {
    (void)torch::mm(a, a);
    torch::cuda::synchronize();
  }
  const nlohmann::json extras = utilisation.end();
  EXPECT_TRUE(notes.str().empty()) << notes.str();
  ASSERT_TRUE(extras.contains("gpu_util_samples")) << extras.dump();
  EXPECT_GE(extras.at("gpu_util_samples").get<int>(), 3);
  EXPECT_GT(extras.at("gpu_util_max").get<double>(), 0.0);
  EXPECT_LE(extras.at("gpu_util_max").get<double>(), 100.0);
  EXPECT_GT(extras.at("gpu_mem_used_max_mb").get<double>(), 0.0);
}

}  // namespace
}  // namespace stegolab
