// Command: a subcommand of `stegolab` contributed by a plugin (a task's
// `embed`, `extract`, ...). The host lists it in `stegolab --help`, parses
// `--name value` options against the command's documented parameters
// (PluginInfo::params: types, defaults, required ones) and runs it with the
// host services it needs; the core's CLI holds no task's commands. A command
// named `group_word` runs as `stegolab group word` (e.g. `data_pairs`).
#pragma once

#include <memory>
#include <string>

#include <torch/types.h>
#include <nlohmann/json.hpp>

#include "stegolab/dataset.hpp"
#include "stegolab/export.hpp"
#include "stegolab/params.hpp"
#include "stegolab/plugin.hpp"
#include "stegolab/task.hpp"

namespace stegolab {

// A task rebuilt from a checkpoint folder, its weights loaded, in eval mode.
struct RestoredTask {
  std::shared_ptr<Task> task;
  nlohmann::json manifest;  // checkpoint.json as written (docs/results.md)
};

class STEGOLAB_VISIBLE CommandServices {
 public:
  virtual ~CommandServices();
  // "cpu", "cuda" or "cuda:N": throws Error when unavailable.
  virtual torch::Device device(const std::string& name) = 0;
  virtual RestoredTask restore(const std::string& checkpoint_dir, torch::Device device) = 0;
  // Image files: uint8 [H, W, C] RGB on the CPU. Notes (conversions) go to stderr.
  virtual torch::Tensor read_image(const std::string& file) = 0;
  // Refuses a lossy format (JPEG, WebP) unless `allow_lossy`.
  virtual void write_image(const std::string& file, const torch::Tensor& pixels) = 0;
  virtual torch::Tensor resize_image(const torch::Tensor& pixels, int64_t height,
                                     int64_t width) = 0;
  // The dataset plugin `plugin` built with `params` (validated and completed
  // as in an experiment's data section), e.g. to list its image names.
  virtual std::shared_ptr<ImageSource> data_source(const std::string& plugin,
                                                   const nlohmann::json& params) = 0;
};

class STEGOLAB_VISIBLE Command {
 public:
  virtual ~Command();
  // The process exit code; errors are thrown as stegolab::Error (one line).
  virtual int run(const Params& options, CommandServices& services) = 0;
};

template <>
struct KindOf<Command> {
  static constexpr const char* name = "command";
};

}  // namespace stegolab
