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

#include "stegolab/errors.hpp"
#include "metrics/metric_convention.hpp"
#include "trainer/trial_outcome.hpp"  // MetricRow, Throughput

struct sqlite3;

namespace stegolab {

// Every message names the database file.
class StoreError : public Error {
 public:
  using Error::Error;
};

struct TrialProvenance {
  std::string key;             // stable trial key from sweep point + repeat, e.g. "transform.plugin=haar_dwt#r0"
  nlohmann::json config;       // the fully resolved trial config (what was run)
  nlohmann::json sweep_point;  // {"transform.plugin": "haar_dwt", ...} values of the sweep axes
  int64_t repeat = 0;
  uint64_t seed = 0;
  std::string device, torch_version, git_revision, host;
  nlohmann::json plugins;      // {"transform": {"name":..,"version":..}, "model": {...}, ...}
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

struct ExperimentRecord {
  int64_t id = 0;
  std::string name, hash, created;
  nlohmann::json experiment;               // the JSON registered by open_experiment()
  std::map<std::string, int64_t> status_counts;  // trials by status
};

struct EventRecord {
  int64_t trial_id = 0, epoch = 0;
  std::string kind, message, at;
};

class ResultStore {
 public:
  enum class Mode { read_write, read_only };
  static constexpr int kSchemaVersion = 1;

  // read_write creates the file and schema (or migrates an older schema).
  // read_only never writes (a database copied from elsewhere stays untouched).
  // Throws StoreError for: a newer schema, a file that is not a stegolab
  // database, a missing file (read_only), an unwritable file or folder.
  ResultStore(const std::filesystem::path& file, Mode mode);
  ~ResultStore();
  ResultStore(const ResultStore&) = delete;
  ResultStore& operator=(const ResultStore&) = delete;

  const std::filesystem::path& file() const { return file_; }

  // Registers the experiment (name, full JSON text, hash). Same name and same
  // hash: returns the existing id. Same name, different hash: throws
  // StoreError listing the differing JSON paths unless force_new, in which
  // case a new experiment row (same name, new id) is created and used.
  int64_t open_experiment(const std::string& name, const nlohmann::json& experiment,
                          bool force_new);
  std::optional<TrialRecord> find_trial(int64_t experiment_id, const std::string& key) const;
  // Inserts or reuses the row of (experiment, key); status running, start time now.
  int64_t start_trial(int64_t experiment_id, const TrialProvenance& provenance);
  void set_checkpoint_dir(int64_t trial_id, const std::string& dir);
  // All rows of one epoch in one transaction; also sets last_epoch. Recording
  // an epoch again (after a resume) replaces its rows. NaN is kept as NaN.
  void record_epoch(int64_t trial_id, int64_t epoch, const std::vector<MetricRow>& rows);
  void record_event(int64_t trial_id, int64_t epoch, const std::string& kind,
                    const std::string& message);
  // status: "done" | "failed" | "interrupted".
  void finish_trial(int64_t trial_id, const std::string& status, const std::string& error,
                    const std::vector<MetricRow>& final_metrics, const Throughput& throughput);
  // Replaces the conventions of the metrics named (others are kept).
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
  void check_schema_readable();
  std::filesystem::path file_;
  Mode mode_;
  sqlite3* db_ = nullptr;
  mutable std::mutex mutex_;
};

}  // namespace stegolab
