// Command: a subcommand of `stegolab` contributed by a plugin (a task's
// `embed`, `extract`, ...). The host lists it in `stegolab --help`, parses
// `--name value` options against the command's documented parameters
// (PluginInfo::params: types, defaults, required ones) and runs it with the
// host services it needs; the core's CLI holds no task's commands. A command
// named `group_word` runs as `stegolab group word` (e.g. `data_pairs`).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <torch/types.h>
#include <nlohmann/json.hpp>

#include "stegolab/dataset.hpp"
#include "stegolab/export.hpp"
#include "stegolab/metric_declaration.hpp"
#include "stegolab/params.hpp"
#include "stegolab/plugin.hpp"
#include "stegolab/task.hpp"

namespace stegolab {

// A task rebuilt from a checkpoint folder, its weights loaded, in eval mode.
struct RestoredTask {
  std::shared_ptr<Task> task;
  nlohmann::json manifest;  // checkpoint.json as written (docs/results.md)
};

// A trial of a results database rebuilt as it was trained, for a command
// that measures it again: the task from the stored experiment with the
// weights of one of its checkpoints (evaluation mode), the trial's data
// source (its evaluation samples, no augmentation) and its splits.
struct RecordedTrial {
  std::string database;  // the file found (--db, else the only results/*.db)
  int64_t id = 0;
  std::string key;
  int64_t last_epoch = -1;  // 0-based, as the database records it
  std::shared_ptr<Task> task;
  TrialData data;
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

  // The trial `trial` (an id, or a part of a key of `experiment`'s trials)
  // of the results database `database` ("": the only results/*.db),
  // rebuilt with its "best" or "last" checkpoint on `device` ("cpu", "cuda",
  // "cuda:N"). Throws Error naming the trial and what is missing. The
  // default: a host that cannot, said so.
  virtual RecordedTrial recorded_trial(const std::string& database, const std::string& experiment,
                                       const std::string& trial, const std::string& checkpoint,
                                       const std::string& device);
  // Adds `values` to the final metrics of the trial on `split` ("train",
  // "val", "test"), replacing rows of the same names and keeping the
  // others, and writes the conventions of `declarations` (the metrics'
  // meaning, as PluginInfo::metrics declares them). Throws Error when a run
  // is writing the database. The default: a host that cannot, said so.
  virtual void add_trial_metrics(const std::string& database, int64_t trial_id,
                                 const std::string& split,
                                 const std::vector<std::pair<std::string, double>>& values,
                                 const std::vector<MetricDeclaration>& declarations);
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
