// The records of the results database: what a trial produces and what the
// store gives back. Neutral types (no trainer, no LibTorch): the trainer
// fills them, the store writes them, results/report/plot read them.
#pragma once

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

namespace stegolab {

// As stored in trials.status (docs/results.md).
enum class TrialStatus { pending, running, done, failed, interrupted };
// As stored in the metric tables' split column.
enum class Split { train, val, test };

const char* status_name(TrialStatus status);
// nullopt for a word that is not a status.
std::optional<TrialStatus> parse_trial_status(const std::string& name);
const char* split_name(Split split);
std::optional<Split> parse_split(const std::string& name);
std::ostream& operator<<(std::ostream& out, TrialStatus status);
std::ostream& operator<<(std::ostream& out, Split split);

struct MetricRow {
  int64_t epoch = 0;  // 0-based; the final test rows carry the last epoch
  Split split = Split::train;
  std::string metric;  // a metric the task declares, "loss", "loss/<term>", ...
  double value = NAN;  // NaN is a legitimate value (a diverged loss) and is stored as such
};

struct Throughput {
  double train_images_per_s = NAN;
  double eval_images_per_s = NAN;
  double step_time_ms = NAN;    // mean optimiser step, including accumulation
  double data_wait_ms = NAN;    // mean time per step the trainer waited for data
  double peak_memory_mb = NAN;  // CUDA allocator peak on GPU, peak RSS on CPU
  int64_t effective_batch = 0;  // batch_size x accumulation
  nlohmann::json extra = nlohmann::json::object();  // e.g. flops_per_image, gpu_utilisation
};

struct TrialProvenance {
  std::string
      key;  // stable trial key from sweep point + repeat, e.g. "transform.plugin=haar_dwt#r0"
  nlohmann::json config;       // the fully resolved trial config (what was run)
  nlohmann::json sweep_point;  // {"transform.plugin": "haar_dwt", ...} values of the sweep axes
  int64_t repeat = 0;
  uint64_t seed = 0;
  std::string device, torch_version, git_revision, host;
  nlohmann::json plugins;  // {"transform": {"name":..,"version":..}, "model": {...}, ...}
};

struct TrialRecord {
  int64_t id = 0;
  int64_t experiment_id = 0;
  std::string key;
  TrialStatus status = TrialStatus::pending;
  std::string error;
  int64_t last_epoch = -1;  // -1: no epoch recorded yet
  std::string checkpoint_dir;
  nlohmann::json config;
  // Provenance, as recorded by start_trial().
  nlohmann::json sweep_point = nlohmann::json::object();
  int64_t repeat = 0;
  uint64_t seed = 0;
  std::string device, torch_version, git_revision, host;
  nlohmann::json plugins = nlohmann::json::object();
  std::string started_at, ended_at;  // ISO 8601 UTC; ended_at "" while running
  // "trained" (a run trained it) or "external" (another method's outputs,
  // measured by a command; key = the name it was given). Files before
  // schema version 4 read "trained".
  std::string kind = "trained";
};

// What record_external_trial() did.
struct ExternalTrialRow {
  int64_t id = 0;
  int64_t experiment_id = 0;
  bool created = false;          // a new row; else the row of an earlier run
  bool metrics_cleared = false;  // an earlier row whose config differed lost its metrics
};

// What open_experiment() did, so that the caller can say it.
struct ExperimentRegistration {
  enum class Outcome {
    created,     // no experiment of this name yet: a new row
    same,        // an experiment with this identity exists and is used (also under force_new)
    forced_new,  // the definition changed and force_new recorded a new experiment
  };
  int64_t id = 0;
  Outcome outcome = Outcome::created;
  // same: the stored description or reports differed and were replaced by
  // the ones given (they are not part of the identity).
  bool presentation_updated = false;
  int64_t previous_id = 0;  // forced_new: the newest experiment of the name before it
};

struct ExperimentRecord {
  int64_t id = 0;
  std::string name, hash, created;
  nlohmann::json experiment;                     // the JSON registered by open_experiment()
  std::map<TrialStatus, int64_t> status_counts;  // trials by status
};

// One picture of a trial's gallery: a panel the task names (its display
// order in `position`) of one evaluation sample, as an 8-bit PNG file.
struct GalleryImage {
  Split split = Split::test;
  int64_t sample = 0;  // 0-based, in the split's evaluation order
  int64_t position = 0;
  std::string panel, caption;
  std::filesystem::path path;
  int64_t width = 0, height = 0;
};

struct EventRecord {
  int64_t trial_id = 0, epoch = 0;
  std::string kind, message, at;
};

}  // namespace stegolab
