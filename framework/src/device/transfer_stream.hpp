// Where a prefetching pipeline's loads run and how their results reach the
// thread that uses them. On the CPU a load simply runs on the loading thread.
// On CUDA it is queued on a side stream, so that it overlaps the compute
// stream's work, and the compute stream waits for it before first use.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include <torch/types.h>

namespace stegolab {

class TransferStream {
 public:
  using Load = std::function<std::vector<torch::Tensor>()>;

  virtual ~TransferStream() = default;

  // On the loading thread: runs `load` with this stream current, so its
  // device work (generation, copies, conversions) is queued here.
  virtual std::vector<torch::Tensor> produce(const Load& load) = 0;

  // Inside produce(): moves a host tensor to the device. CUDA: through pinned
  // memory, without blocking the host.
  virtual torch::Tensor upload(const torch::Tensor& host) = 0;

  // On the using thread, before the tensors are touched, once per produce()
  // and in the same order: orders the user's current stream after the load
  // and keeps the tensors' memory from being reused before that stream is
  // done with them.
  virtual void hand_over(const std::vector<torch::Tensor>& tensors) = 0;
};

// The transfer stream for `device`: synchronous on the CPU, a side stream on
// CUDA.
std::unique_ptr<TransferStream> make_transfer_stream(torch::Device device);

}  // namespace stegolab
