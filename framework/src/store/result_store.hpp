// ResultStore: the SQLite database every trial writes into and every report
// reads from. One file per experiment folder (results/<name>.db by default);
// the schema is documented, with example queries, in docs/results.md.
//
// Concurrency: WAL journal, 5 s busy timeout, every write in one
// BEGIN IMMEDIATE transaction (so a writer never fails half-way on a lock
// upgrade). One ResultStore per process writes; its methods serialise on an
// internal mutex, so trainer threads may share it.
#pragma once

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "metrics/metric_convention.hpp"
#include "stegolab/errors.hpp"
#include "trainer/trial_outcome.hpp"  // MetricRow, Throughput

struct sqlite3;

namespace stegolab {

// Every message names the database file.
class StoreError : public Error {
 public:
  using Error::Error;
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
  std::string key, status, error;
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
  std::map<std::string, int64_t> status_counts;  // trials by status
};

struct EventRecord {
  int64_t trial_id = 0, epoch = 0;
  std::string kind, message, at;
};

class ResultStore {
 public:
  enum class Mode { read_write, read_only };
  // 2 added the typed columns of metric_conventions (range, colour space,
  // quantised); a version 1 file is migrated by the first read-write open.
  static constexpr int kSchemaVersion = 2;

  // read_write creates the file and schema (or migrates an older schema).
  // read_only never writes (a database copied from elsewhere stays untouched)
  // and reads every schema version up to kSchemaVersion.
  // Throws StoreError for: a newer schema, a file that is not a stegolab
  // database, a missing file (read_only), an unwritable file or folder.
  ResultStore(const std::filesystem::path& file, Mode mode);
  ~ResultStore();
  ResultStore(const ResultStore&) = delete;
  ResultStore& operator=(const ResultStore&) = delete;

  const std::filesystem::path& file() const { return file_; }
  // Things a reader should know about what it sees (e.g. a read-only open
  // that could not include the -wal file); the CLI prints them.
  const std::vector<std::string>& warnings() const { return warnings_; }

  // Registers the experiment (name, full JSON, hash of its identity, see
  // experiment_identity()). An experiment of that name with the same
  // identity is reused, and its stored JSON is replaced by `experiment`, so
  // an edited description or reports list takes effect. Same name, other
  // identity: throws StoreError listing the differing JSON paths unless
  // force_new, which records a new experiment row (same name, new id).
  ExperimentRegistration open_experiment(const std::string& name, const nlohmann::json& experiment,
                                         bool force_new);
  std::optional<TrialRecord> find_trial(int64_t experiment_id, const std::string& key) const;
  // Inserts the trials that have no row yet with status pending (a run shows
  // its whole plan before the first trial starts); existing rows are kept.
  void add_pending_trials(int64_t experiment_id, const std::vector<TrialProvenance>& trials);
  // Inserts or reuses the row of (experiment, key); status running, start time now.
  int64_t start_trial(int64_t experiment_id, const TrialProvenance& provenance);
  // A trial that runs again from its first epoch: its epoch and final rows
  // and throughput are deleted and last_epoch reset, so that the old
  // attempt's epochs cannot mix with the new one's. Records a "restart" event
  // with `reason`. Events of the old attempt are kept.
  void restart_trial(int64_t trial_id, const std::string& reason);
  void set_checkpoint_dir(int64_t trial_id, const std::string& dir);
  // All rows of one epoch in one transaction; also sets last_epoch. Recording
  // an epoch again (after a resume) replaces its rows. NaN is kept as NaN.
  void record_epoch(int64_t trial_id, int64_t epoch, const std::vector<MetricRow>& rows);
  void record_event(int64_t trial_id, int64_t epoch, const std::string& kind,
                    const std::string& message);
  // status: "done" | "failed" | "interrupted".
  void finish_trial(int64_t trial_id, const std::string& status, const std::string& error,
                    const std::vector<MetricRow>& final_metrics, const Throughput& throughput);
  // Replaces the conventions of the metrics named (others are kept). The
  // typed columns (range, colour space, quantised) are derived from each
  // convention's name and unit; see docs/results.md.
  void write_conventions(const std::vector<MetricConvention>& conventions);

  // --- queries (results, report, plot) ---
  std::vector<ExperimentRecord> experiments() const;  // by id
  // By numeric id, or by name (the newest experiment of that name). Throws
  // StoreError listing the known names when there is none.
  ExperimentRecord experiment(const std::string& name_or_id) const;
  std::vector<TrialRecord> trials(int64_t experiment_id) const;  // by id
  TrialRecord trial(int64_t trial_id) const;                     // throws when unknown
  std::vector<MetricRow> epoch_metrics(int64_t trial_id) const;  // by epoch, split, metric
  std::vector<MetricRow> final_metrics(int64_t trial_id) const;  // by split, metric
  std::optional<Throughput> throughput(int64_t trial_id) const;
  std::vector<EventRecord> events(int64_t trial_id) const;
  std::vector<MetricConvention> conventions() const;

 private:
  void create_or_migrate_schema();
  void migrate_v1_to_v2();
  void check_schema_readable();
  std::filesystem::path file_;
  Mode mode_;
  std::vector<std::string> warnings_;
  sqlite3* db_ = nullptr;
  mutable std::mutex mutex_;
};

}  // namespace stegolab
