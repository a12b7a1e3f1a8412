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

// The row record_external_trial() wrote.
struct ExternalTrial {
  std::string database;    // the file written (created when it was missing)
  std::string experiment;  // the experiment it belongs to
  int64_t id = 0;
  bool created = false;          // a new row; else the row of an earlier run of that name
  bool metrics_cleared = false;  // the earlier row's config differed: its metrics were deleted
};

class STEGOLAB_VISIBLE CommandServices {
 public:
  virtual ~CommandServices();
  // "cpu", "cuda" or "cuda:N": throws Error when unavailable.
  virtual torch::Device device(const std::string& name) = 0;
  virtual RestoredTask restore(const std::string& checkpoint_dir, torch::Device device) = 0;
  // Image files: uint8 [H, W, C] RGB on the CPU. Notes (conversions) go to stderr.
  virtual torch::Tensor read_image(const std::string& file) = 0;
  // As read_image, but a file whose samples are not 8-bit (a 16-bit PNG) is
  // refused with an Error naming it instead of converted, for measurements
  // of a file's own values. The default: a host that cannot, said so.
  virtual torch::Tensor read_8bit_image(const std::string& file);
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
  // A trial that no run here trained (kind e.g. "external": another
  // method's output files measured by a command), named `name` (its key), in
  // experiment `experiment` of `database`. "" database: the only
  // results/*.db; a named file that is missing is created. "" experiment:
  // the database's only experiment, or "external" in a database without
  // any; an experiment that does not exist is created. The trial is done,
  // with `config` as its configuration. The same name again reuses its row
  // (same id): its metrics are kept when `config` is unchanged and deleted
  // when it differs. Then add_trial_metrics() stores its metrics. Throws
  // Error when a run is writing the database or the name is a trained
  // trial's. The default: a host that cannot, said so.
  virtual ExternalTrial record_external_trial(const std::string& database,
                                              const std::string& experiment,
                                              const std::string& name, const std::string& kind,
                                              const nlohmann::json& config);
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
