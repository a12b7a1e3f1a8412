// DataParallelGroup: this process's place among the ranks of a data-parallel
// run: the rendezvous store and the c10d process group (Gloo on the CPU,
// NCCL on CUDA when LibTorch has it), with the few collectives the trainer
// and the run driver use. Every collective is c10d's; none is written here.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <torch/types.h>

#include "distributed/rank_environment.hpp"

namespace c10d {
class Store;
class ProcessGroup;
}  // namespace c10d

namespace stegolab {

class DataParallelGroup {
 public:
  // Meets the other ranks (blocks until all have arrived or `timeout`) and
  // creates the process group for `device`. Every collective fails after
  // `timeout` instead of hanging when a rank has gone.
  DataParallelGroup(const RankEnvironment& environment, const torch::Device& device,
                    std::chrono::milliseconds timeout);
  ~DataParallelGroup();
  DataParallelGroup(const DataParallelGroup&) = delete;
  DataParallelGroup& operator=(const DataParallelGroup&) = delete;

  int rank() const { return environment_.rank; }
  int world() const { return environment_.world; }
  bool leads() const { return environment_.rank == 0; }
  const std::string& backend() const { return backend_; }
  std::chrono::milliseconds timeout() const { return timeout_; }
  const c10::intrusive_ptr<c10d::ProcessGroup>& process_group() const { return group_; }

  // Rank 0's values of `tensors` on every rank, flattened into few messages.
  void broadcast_from_leader(const std::vector<torch::Tensor>& tensors);
  // Sums `values` (one flat tensor, anywhere) over the ranks, in place.
  void sum(torch::Tensor& values);
  // Messages from rank 0 to every rank, through the rendezvous store:
  // rank 0 posts them, the others receive them in the same order (waiting
  // up to the timeout for the next).
  void post(const std::string& message);
  std::string receive();

 private:
  RankEnvironment environment_;
  std::chrono::milliseconds timeout_;
  int64_t messages_ = 0;  // posted or received so far
  torch::Device device_;
  std::string backend_;
  c10::intrusive_ptr<c10d::Store> store_;
  c10::intrusive_ptr<c10d::ProcessGroup> group_;
};

}  // namespace stegolab
