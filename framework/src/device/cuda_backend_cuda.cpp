// The CUDA implementation of cuda_backend.hpp; compiled only against a
// LibTorch with CUDA (see framework/CMakeLists.txt). Events are the CUDA
// runtime's own, which have the same API in every CUDA version LibTorch
// supports; LibTorch's event wrapper moved between headers during 2.x.
#include "device/cuda_backend.hpp"

#include <deque>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <utility>

#include <c10/cuda/CUDAException.h>
#include <c10/cuda/CUDAFunctions.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#include <cuda_runtime_api.h>
#include <torch/torch.h>

#include "stegolab/torch_compat.hpp"

namespace stegolab::cuda_backend {

namespace {

constexpr double kMiB = 1024.0 * 1024.0;

// The allocator exists only once LibTorch has initialised CUDA, which the
// first CUDA tensor does; its statistics are per device.
void ensure_allocator(c10::DeviceIndex device) {
  (void)torch::empty({0}, torch::TensorOptions().device(torch::kCUDA, device));
}

class CudaEvent {
 public:
  explicit CudaEvent(unsigned int flags) {
    C10_CUDA_CHECK(cudaEventCreateWithFlags(&event_, flags));
  }
  ~CudaEvent() {
    if (event_ != nullptr) C10_CUDA_CHECK_WARN(cudaEventDestroy(event_));
  }
  CudaEvent(CudaEvent&& other) noexcept : event_(std::exchange(other.event_, nullptr)) {}
  CudaEvent& operator=(CudaEvent&&) = delete;
  CudaEvent(const CudaEvent&) = delete;
  CudaEvent& operator=(const CudaEvent&) = delete;

  void record(cudaStream_t stream) { C10_CUDA_CHECK(cudaEventRecord(event_, stream)); }
  void make_wait(cudaStream_t stream) const {
    C10_CUDA_CHECK(cudaStreamWaitEvent(stream, event_, 0));
  }
  void synchronize() const { C10_CUDA_CHECK(cudaEventSynchronize(event_)); }
  // Milliseconds from `start` to this event; both recorded, both complete.
  float milliseconds_since(const CudaEvent& start) const {
    float ms = 0.0f;
    C10_CUDA_CHECK(cudaEventElapsedTime(&ms, start.event_, event_));
    return ms;
  }

 private:
  cudaEvent_t event_ = nullptr;
};

class EventClock : public IntervalClock {
 public:
  explicit EventClock(c10::DeviceIndex device) : device_(device) {}

  void begin() override {
    c10::cuda::CUDAGuard guard(device_);
    starts_.emplace_back(cudaEventDefault);
    starts_.back().record(c10::cuda::getCurrentCUDAStream(device_).stream());
  }

  void end() override {
    if (ends_.size() + 1 != starts_.size())
      throw std::logic_error("StepTimer::end() without begin()");
    c10::cuda::CUDAGuard guard(device_);
    ends_.emplace_back(cudaEventDefault);
    ends_.back().record(c10::cuda::getCurrentCUDAStream(device_).stream());
  }

  std::vector<double> seconds() override {
    std::vector<double> result;
    if (ends_.empty()) return result;
    // Events complete in stream order: the last one follows them all.
    ends_.back().synchronize();
    for (std::size_t i = 0; i < ends_.size(); ++i) {
      result.push_back(1e-3 * static_cast<double>(ends_[i].milliseconds_since(starts_[i])));
    }
    return result;
  }

 private:
  c10::DeviceIndex device_;
  std::deque<CudaEvent> starts_;
  std::deque<CudaEvent> ends_;
};

class SideStream : public TransferStream {
 public:
  explicit SideStream(c10::DeviceIndex device)
      : device_(device), stream_(c10::cuda::getStreamFromPool(/*isHighPriority=*/false, device)) {}

  std::vector<torch::Tensor> produce(const Load& load) override {
    std::vector<torch::Tensor> tensors;
    CudaEvent done(cudaEventDisableTiming);
    {
      c10::cuda::CUDAStreamGuard on_side_stream(stream_);
      tensors = load();
      done.record(stream_.stream());
    }
    std::lock_guard<std::mutex> lock(mutex_);
    ready_.push_back(std::move(done));
    return tensors;
  }

  torch::Tensor upload(const torch::Tensor& host) override {
    // Pageable memory would make the copy synchronous; pinned memory lets it
    // run on the side stream while the host goes on.
    const torch::Tensor pinned = host.is_pinned() ? host : host.pin_memory();
    return pinned.to(torch::Device(torch::kCUDA, device_), /*non_blocking=*/true);
  }

  void hand_over(const std::vector<torch::Tensor>& tensors) override {
    std::optional<CudaEvent> done;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (ready_.empty()) throw std::logic_error("TransferStream::hand_over() without produce()");
      done.emplace(std::move(ready_.front()));
      ready_.pop_front();
    }
    const c10::cuda::CUDAStream user = c10::cuda::getCurrentCUDAStream(device_);
    done->make_wait(user.stream());
    // The memory was allocated on the side stream; without this the allocator
    // could hand it to the next load while the user's kernels still read it.
    for (const torch::Tensor& tensor : tensors) {
      if (tensor.defined() && tensor.is_cuda()) tensor.record_stream(user);
    }
  }

 private:
  c10::DeviceIndex device_;
  c10::cuda::CUDAStream stream_;
  std::mutex mutex_;
  std::deque<CudaEvent> ready_;
};

}  // namespace

bool compiled_in() { return true; }

c10::DeviceIndex index_of(torch::Device device) {
  return device.has_index() ? device.index() : c10::cuda::current_device();
}

void reset_peak_allocated(c10::DeviceIndex device) {
  ensure_allocator(device);
  compat::reset_cuda_allocator_peaks(device);
}

double peak_allocated_mb(c10::DeviceIndex device) {
  ensure_allocator(device);
  return static_cast<double>(compat::cuda_allocator_peaks(device).allocated_bytes) / kMiB;
}

std::unique_ptr<IntervalClock> make_event_clock(c10::DeviceIndex device) {
  return std::make_unique<EventClock>(device);
}

std::unique_ptr<TransferStream> make_side_stream(c10::DeviceIndex device) {
  return std::make_unique<SideStream>(device);
}

std::string pci_bus_id(c10::DeviceIndex device) {
  char id[32] = {};
  C10_CUDA_CHECK(cudaDeviceGetPCIBusId(id, sizeof id, device));
  return id;
}

}  // namespace stegolab::cuda_backend
