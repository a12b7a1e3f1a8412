// The c10d calls whose shape changed between LibTorch 1.13 (Debian) and 2.x
// (PyTorch wheels): in 2.x a ProcessGroup wraps per-device Backends, in 1.13
// ProcessGroupGloo/NCCL are ProcessGroups themselves; the Reducer's
// constructor gained and lost parameters from release to release. Private to
// distributed/. The 2.x branches are written against PyTorch 2.7's headers.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/Store.hpp>
#include <torch/csrc/distributed/c10d/reducer.hpp>

#include "stegolab/torch_compat.hpp"

#if defined(USE_C10D_NCCL)
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#define STEGOLAB_WITH_NCCL 1
#endif

namespace stegolab::compat {

// A process group of `backend` (one of c10d's ProcessGroupGloo/NCCL) for
// tensors of `device`: in 2.x a ProcessGroup holding it, in 1.13 the backend.
template <class Backend>
c10::intrusive_ptr<c10d::ProcessGroup> process_group_of(
    const c10::intrusive_ptr<c10d::Store>& store, int rank, int world, c10::DeviceType device,
    const char* name, c10::intrusive_ptr<Backend> backend) {
#if STEGOLAB_TORCH_AT_LEAST(2, 0)
  const auto type = c10d::ProcessGroup::strToBackendType(name);
  auto group = c10::make_intrusive<c10d::ProcessGroup>(store, rank, world);
  group->setBackend(device, type, backend);
  group->setDefaultBackend(type);
  return group;
#else
  (void)store, (void)rank, (void)world, (void)device, (void)name;
  return backend;
#endif
}

// A Gloo process group on the CPU. Its transport binds `interface`
// (GLOO_SOCKET_IFNAME) when set, else `hostname`, else the address of this
// machine's name, as torch.distributed does.
inline c10::intrusive_ptr<c10d::ProcessGroup> gloo_process_group(
    const c10::intrusive_ptr<c10d::Store>& store, int rank, int world,
    std::chrono::milliseconds timeout, const std::string& hostname, const std::string& interface) {
  auto options = c10d::ProcessGroupGloo::Options::create(timeout);
  options->devices.push_back(
      !interface.empty()  ? c10d::ProcessGroupGloo::createDeviceForInterface(interface)
      : !hostname.empty() ? c10d::ProcessGroupGloo::createDeviceForHostname(hostname)
                          : c10d::ProcessGroupGloo::createDefaultDevice());
  return process_group_of(store, rank, world, c10::DeviceType::CPU, "gloo",
                          c10::make_intrusive<c10d::ProcessGroupGloo>(store, rank, world, options));
}

#if defined(STEGOLAB_WITH_NCCL)
// An NCCL process group for CUDA tensors (one GPU per rank).
inline c10::intrusive_ptr<c10d::ProcessGroup> nccl_process_group(
    const c10::intrusive_ptr<c10d::Store>& store, int rank, int world,
    std::chrono::milliseconds timeout) {
  auto options = c10d::ProcessGroupNCCL::Options::create();
  options->timeout = timeout;
  return process_group_of(store, rank, world, c10::DeviceType::CUDA, "nccl",
                          c10::make_intrusive<c10d::ProcessGroupNCCL>(store, rank, world, options));
}
#endif

// A c10d::Reducer over `params` in `buckets` (bucket_limits: each bucket's
// byte limit), averaging over `group`, every parameter used in every step.
// Whichever constructor this LibTorch has is chosen at compile time.
template <class Reducer = c10d::Reducer>
std::unique_ptr<Reducer> make_reducer(std::vector<at::Tensor> params,
                                      std::vector<std::vector<size_t>> buckets,
                                      std::vector<size_t> bucket_limits,
                                      c10::intrusive_ptr<c10d::ProcessGroup> group) {
  const std::size_t count = params.size();
  std::vector<bool> sparse(count, false);
  const int64_t cap = c10d::kDefaultBucketBytesCap;
  const int64_t first_cap = c10d::kDefaultFirstBucketBytes;
  std::unordered_map<size_t, std::string> names;
  using Params = std::vector<at::Tensor>;
  using Buckets = std::vector<std::vector<size_t>>;
  using Group = c10::intrusive_ptr<c10d::ProcessGroup>;
  using Names = std::unordered_map<size_t, std::string>;
  if constexpr (std::is_constructible_v<Reducer, Params, Buckets, std::vector<size_t>, Group,
                                        std::vector<bool>, int64_t, bool, bool, Names, int64_t>) {
    // 1.13
    return std::make_unique<Reducer>(std::move(params), std::move(buckets),
                                     std::move(bucket_limits), std::move(group), sparse, cap, false,
                                     false, names, first_cap);
  } else if constexpr (std::is_constructible_v<Reducer, Params, Buckets, Group, std::vector<bool>,
                                               int64_t, bool, bool, Names, int64_t, bool, bool>) {
    // 2.x: skip_all_reduce_unused_params, use_python_reducer
    return std::make_unique<Reducer>(std::move(params), std::move(buckets), std::move(group),
                                     sparse, cap, false, false, names, first_cap, false, false);
  } else {
    // later 2.x: each bucket's limit as a list
    std::vector<int64_t> limits(bucket_limits.begin(), bucket_limits.end());
    return std::make_unique<Reducer>(std::move(params), std::move(buckets), std::move(group),
                                     sparse, cap, false, false, names, first_cap, false, false,
                                     std::move(limits));
  }
}

}  // namespace stegolab::compat
