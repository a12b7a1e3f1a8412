// ResultStore: the SQLite database every trial writes into and every report
// reads from. One file per experiment folder (results/<name>.db by default);
// the schema is documented, with example queries, in docs/results.md.
//
// Concurrency: WAL journal, 5 s busy timeout, every write in one
// BEGIN IMMEDIATE transaction (so a writer never fails half-way on a lock
// upgrade). One ResultStore per process writes; its methods serialise on an
// internal mutex, so trainer threads may share it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "stegolab/errors.hpp"
#include "stegolab/metric_declaration.hpp"
#include "store/result_records.hpp"

struct sqlite3;

namespace stegolab {

// Every message names the database file.
class StoreError : public Error {
 public:
  using Error::Error;
};

class ResultStore {
 public:
  // snapshot: read-only and touching nothing beside the file (no lock, no
  // -shm, no -wal: SQLite's "immutable"), for a look at a database that a
  // run on another machine may be writing over a network filesystem, where
  // even a reader's shared-memory index could disturb the writer. It sees
  // what the main file holds: the last writes may be missing until the
  // writer checkpoints or ends.
  enum class Mode { read_write, read_only, snapshot };
  // 2 added the typed columns of metric_conventions (range, colour space,
  // quantised), 3 the galleries, 4 trials.kind; an older file is migrated by
  // the first read-write open.
  static constexpr int kSchemaVersion = 4;

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
  // Inserts or reuses the row of (experiment, key); status running. A new
  // row's start time is now; a trial that ran before keeps its first start
  // (so duration_s spans every attempt) and gets an "attempt" event saying when
  // this attempt began.
  int64_t start_trial(int64_t experiment_id, const TrialProvenance& provenance);
  // Trials left "running" by a process that ended without finishing them
  // (killed, power loss): marked interrupted with `note` as their error and
  // an event, ended now. Only the database's one writer may call this (it
  // holds DatabaseWriterLock, so no other process is running them). Returns
  // the keys of the trials it marked.
  std::vector<std::string> interrupt_stale_trials(const std::string& note);
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
  // status: done, failed or interrupted.
  void finish_trial(int64_t trial_id, TrialStatus status, const std::string& error,
                    const std::vector<MetricRow>& final_metrics, const Throughput& throughput);
  // Adds rows to a trial's final metrics after it ended (a later measurement
  // of the trial), replacing rows of the same split and metric and keeping
  // the others; the trial's status is kept. Throws StoreError for an
  // unknown trial.
  void add_final_metrics(int64_t trial_id, const std::vector<MetricRow>& rows);
  // The row of a trial that no run here trained (kind `kind`, e.g.
  // "external": another method's output files measured by a command), key
  // `name`, in the newest experiment named `experiment`, which is created
  // (its JSON a stub saying so) when there is none. Status done, `config`
  // stored as its configuration. The same name again reuses the row (same
  // id): its final metrics are kept when the stored config equals `config`
  // and deleted (with a restart event) when it differs. Throws StoreError
  // when the key belongs to a trial of another kind (a trained one).
  ExternalTrialRow record_external_trial(const std::string& experiment, const std::string& name,
                                         const std::string& kind, const nlohmann::json& config);
  // Replaces the conventions of the metrics named (others are kept),
  // typed columns (range, colour space, quantised) included; see docs/results.md.
  void write_conventions(const std::vector<MetricDeclaration>& conventions);
  // Replaces the trial's gallery of each split named in `images` (paths as
  // written: made relative to the database's folder when they lie below it).
  void record_gallery(int64_t trial_id, const std::vector<GalleryImage>& images);

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
  std::vector<MetricDeclaration> conventions() const;
  // By split, sample, position; paths resolved against the database's folder
  // (empty for a file older than schema version 3).
  std::vector<GalleryImage> gallery(int64_t trial_id) const;

 private:
  void create_or_migrate_schema();
  void migrate_v1_to_v2();
  void check_schema_readable();
  // The -wal file an immutable read-only open cannot see, said as a warning.
  std::string open_without_wal();
  std::string name() const;                          // "results database '<file>'", for messages
  std::string select_trials() const;  // "SELECT <columns read_trial_row reads> FROM trials"
  int64_t experiment_for_external(const std::string& experiment);  // within a transaction
  void check_trial_changed(int64_t trial_id) const;  // after an UPDATE of one trial row
  std::optional<std::string> started_at(int64_t experiment_id, const std::string& key) const;
  std::filesystem::path file_;
  Mode mode_;
  std::vector<std::string> warnings_;
  bool trial_kinds_ = true;  // trials.kind exists (schema version 4 on)
  sqlite3* db_ = nullptr;
  mutable std::mutex mutex_;
};

}  // namespace stegolab
