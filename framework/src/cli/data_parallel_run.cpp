#include "cli/data_parallel_run.hpp"

#include <cstdlib>
#include <iostream>

#include "device/device_name.hpp"
#include "run/trial_announcement.hpp"
#include "stegolab/errors.hpp"

namespace stegolab::cli {

std::vector<std::string> rank_command_line(const std::vector<std::string>& args) {
  std::vector<std::string> kept;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--nproc") {
      ++i;  // and its value
    } else if (args[i].rfind("--nproc=", 0) != 0) {
      kept.push_back(args[i]);
    }
  }
  kept.insert(kept.begin(), "run");
  kept.push_back("--ranks");
  kept.push_back("env");
  return kept;
}

void check_shareable_batches(const ExperimentSpec& spec, int world) {
  for (const TrialSpec& trial : spec.trials) {
    if (trial.train.batch_size_auto) {
      throw Error(spec.file + ": trial " + trial.key + ": train.batch_size \"auto\" cannot be " +
                  "used data-parallel (each rank would measure its own); give a number");
    }
    if (trial.train.batch_size % world != 0) {
      throw Error(spec.file + ": trial " + trial.key + ": train.batch_size " +
                  std::to_string(trial.train.batch_size) + " cannot be shared by " +
                  std::to_string(world) +
                  " data-parallel ranks: it must be a multiple of the rank count");
    }
  }
}

std::unique_ptr<DataParallelGroup> join_ranks(const DataParallelArguments& arguments,
                                              const ExperimentSpec& spec, RunOptions& options) {
  if (!arguments.ranks) return nullptr;
  const RankEnvironment environment =
      read_rank_environment(*arguments.ranks, [](const std::string& name) {
        const char* value = std::getenv(name.c_str());
        return value == nullptr ? std::nullopt : std::optional<std::string>(value);
      });
  if (environment.world == 1) return nullptr;
  check_shareable_batches(spec, environment.world);
  // The process group serves one device type; the first trial's decides.
  const std::string named = options.device.empty() && !spec.trials.empty()
                                ? spec.trials.front().train.device
                                : options.device;
  torch::Device device(resolve_device(named.empty() ? "cpu" : named, "--device"));
  if (device.is_cuda()) {
    device = torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(environment.local_rank));
    options.device = device.str();
  }
  const auto timeout =
      std::chrono::milliseconds(static_cast<int64_t>(arguments.timeout_seconds * 1000.0));
  auto group = std::make_unique<DataParallelGroup>(environment, device, timeout);
  if (group->leads()) {
    std::cout << "data-parallel: " << group->world() << " ranks (" << group->backend()
              << "); each trains 1/" << group->world()
              << " of every batch, rank 0 writes the results\n";
  }
  return group;
}

RunSummary lead_ranks(SweepRunner& runner, DataParallelGroup& group) {
  struct EndAnnouncement {
    DataParallelGroup& group;
    ~EndAnnouncement() {
      try {
        announce_end(group);
      } catch (const std::exception&) {
        // The other ranks have gone already.
      }
    }
  } end{group};
  return runner.run();
}

}  // namespace stegolab::cli
