#include "device/transfer_stream.hpp"

#include "device/cuda_backend.hpp"

namespace stegolab {

namespace {

// CPU ops complete before they return, so there is nothing to order.
class SynchronousTransfer : public TransferStream {
 public:
  explicit SynchronousTransfer(torch::Device device) : device_(device) {}

  std::vector<torch::Tensor> produce(const Load& load) override { return load(); }

  torch::Tensor upload(const torch::Tensor& host) override { return host.to(device_); }

  void hand_over(const std::vector<torch::Tensor>&) override {}

 private:
  torch::Device device_;
};

}  // namespace

std::unique_ptr<TransferStream> make_transfer_stream(torch::Device device) {
  if (device.is_cuda()) return cuda_backend::make_side_stream(cuda_backend::index_of(device));
  return std::make_unique<SynchronousTransfer>(device);
}

}  // namespace stegolab
