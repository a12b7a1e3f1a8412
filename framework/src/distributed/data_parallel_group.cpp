#include "distributed/data_parallel_group.hpp"

#include <csignal>
#include <cstdlib>

#include <torch/torch.h>
#include <torch/csrc/distributed/c10d/FileStore.hpp>
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#include <torch/csrc/distributed/c10d/comm.hpp>

#include "distributed/c10d_compat.hpp"
#include "stegolab/errors.hpp"

namespace stegolab {

namespace {

// Rank 0's broadcast is cut into messages of at most this many bytes
// (DistributedDataParallel's value).
constexpr std::size_t kBroadcastBucketBytes = 250u << 20;

std::string environment_text(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? "" : value;
}

c10::intrusive_ptr<c10d::Store> rendezvous_store(const RankEnvironment& environment,
                                                 std::chrono::milliseconds timeout) {
  if (!environment.rendezvous_file.empty()) {
    return c10::make_intrusive<c10d::FileStore>(environment.rendezvous_file, environment.world);
  }
  c10d::TCPStoreOptions options;
  options.port = static_cast<std::uint16_t>(environment.master_port);
  options.isServer = environment.rank == 0;
  options.numWorkers = environment.world;
  options.waitWorkers = true;
  options.timeout = timeout;
  return c10::make_intrusive<c10d::TCPStore>(environment.master_addr, options);
}

}  // namespace

DataParallelGroup::DataParallelGroup(const RankEnvironment& environment,
                                     const torch::Device& device, std::chrono::milliseconds timeout)
    : environment_(environment), timeout_(timeout), device_(device) {
  const std::string where = "data-parallel rank " + std::to_string(environment.rank) + " of " +
                            std::to_string(environment.world);
  // A peer that dies leaves Gloo writing to a closed socket: without this the
  // write's SIGPIPE kills this rank silently (status 141) instead of Gloo
  // raising an error that lets rank 0 record the trial as failed.
  std::signal(SIGPIPE, SIG_IGN);
  try {
    store_ = rendezvous_store(environment, timeout);
    store_->setTimeout(timeout);
    auto prefixed = c10::make_intrusive<c10d::PrefixStore>("stegolab", store_);
    if (device.is_cuda()) {
#if defined(STEGOLAB_WITH_NCCL)
      group_ = compat::nccl_process_group(prefixed, environment.rank, environment.world, timeout);
      backend_ = "nccl";
#else
      throw Error(where + ": device " + device.str() +
                  " needs NCCL, which this LibTorch was built without; use --device cpu");
#endif
    } else {
      // Ranks of one machine (a file rendezvous) talk over the loopback.
      const std::string host = environment.rendezvous_file.empty() ? "" : "127.0.0.1";
      group_ = compat::gloo_process_group(prefixed, environment.rank, environment.world, timeout,
                                          host, environment_text("GLOO_SOCKET_IFNAME"));
      backend_ = "gloo";
    }
  } catch (const c10::Error& error) {
    throw Error(where + ": cannot meet the other ranks (" +
                (environment.rendezvous_file.empty()
                     ? "TCP store at " + environment.master_addr + ":" +
                           std::to_string(environment.master_port)
                     : "rendezvous file " + environment.rendezvous_file) +
                "): " + first_line(error.what_without_backtrace()));
  }
}

DataParallelGroup::~DataParallelGroup() = default;

void DataParallelGroup::broadcast_from_leader(const std::vector<torch::Tensor>& tensors) {
  if (tensors.empty()) return;
  torch::NoGradGuard no_grad;
  c10d::broadcast_coalesced(group_, tensors, kBroadcastBucketBytes, 0);
}

void DataParallelGroup::sum(torch::Tensor& values) {
  // NCCL reduces only tensors on the GPU, Gloo those on the CPU or the GPU.
  const bool move = values.device() != device_ && backend_ == "nccl";
  std::vector<torch::Tensor> one{move ? values.to(device_) : values};
  group_->allreduce(one)->wait(timeout_);
  if (move) values.copy_(one.front());
}

void DataParallelGroup::post(const std::string& message) {
  store_->set("stegolab/message/" + std::to_string(messages_++),
              std::vector<uint8_t>(message.begin(), message.end()));
}

std::string DataParallelGroup::receive() {
  try {
    const std::vector<uint8_t> bytes =
        store_->get("stegolab/message/" + std::to_string(messages_++));
    return {bytes.begin(), bytes.end()};
  } catch (const c10::Error& error) {
    throw Error("data-parallel rank " + std::to_string(rank()) + ": no word from rank 0 (" +
                first_line(error.what_without_backtrace()) + ")");
  }
}

}  // namespace stegolab
