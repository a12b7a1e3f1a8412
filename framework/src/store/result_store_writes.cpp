// The store's writing half: experiments, trials, epochs, events, conventions.
#include <sqlite3.h>

#include "spec/experiment_identity.hpp"
#include "store/result_store.hpp"
#include "store/store_rows.hpp"

namespace stegolab {

ExperimentRegistration ResultStore::open_experiment(const std::string& name,
                                                    const nlohmann::json& experiment,
                                                    bool force_new) {
  std::lock_guard<std::mutex> lock(mutex_);
  const std::string hash = experiment_hash(experiment);
  const nlohmann::json identity = experiment_identity(experiment);
  WriteTransaction transaction(db_, file_, "registering experiment '" + name + "'");
  struct Stored {
    int64_t id;
    std::string hash;
    nlohmann::json json;
  };
  std::vector<Stored> same_name;  // newest first
  {
    SqliteStatement find(db_, file_,
                         "SELECT id, hash, json FROM experiments WHERE name = ? ORDER BY id DESC");
    find.bind(1, name);
    while (find.step()) {
      same_name.push_back(
          {find.column_int(0), find.column_text(1), parse_json_column(find.column_text(2))});
    }
  }
  ExperimentRegistration registration;
  for (const auto& stored : same_name) {
    // Comparing the identities, not only the hashes, recognises files whose
    // hash was computed differently (older versions) or whose numbers are
    // spelt differently (1 and 1.0) but mean the same.
    if (stored.hash != hash && experiment_identity(stored.json) != identity) continue;
    registration.id = stored.id;
    registration.outcome = ExperimentRegistration::Outcome::same;
    auto presentation = [](const nlohmann::json& document, const char* key) {
      return document.is_object() && document.contains(key) ? document.at(key) : nlohmann::json();
    };
    registration.presentation_updated =
        presentation(stored.json, "description") != presentation(experiment, "description") ||
        presentation(stored.json, "reports") != presentation(experiment, "reports");
    if (stored.hash != hash || stored.json.dump() != experiment.dump()) {
      // `report --all` and the end of a run read the reports from here.
      SqliteStatement update(db_, file_, "UPDATE experiments SET json = ?, hash = ? WHERE id = ?",
                             "updating experiment '" + name + "'");
      update.bind(1, experiment.dump()).bind(2, hash).bind(3, stored.id);
      update.run();
    }
    transaction.commit();
    return registration;
  }
  if (!same_name.empty() && !force_new) {
    const std::string paths = identity_changes(same_name.front().json, experiment);
    throw StoreError("results database '" + file_.string() + "' already holds experiment '" + name +
                     "' (id " + std::to_string(same_name.front().id) +
                     ") with a different definition; changed: " + paths +
                     ". Rename the experiment, use another --db, or pass --force-new to "
                     "record a new experiment under the same name");
  }
  SqliteStatement insert(db_, file_,
                         std::string("INSERT INTO experiments (name, json, hash, created) "
                                     "VALUES (?, ?, ?, ") +
                             kSqlNow + ")",
                         "registering experiment '" + name + "'");
  insert.bind(1, name).bind(2, experiment.dump()).bind(3, hash);
  insert.run();
  registration.id = sqlite3_last_insert_rowid(db_);
  if (!same_name.empty()) {
    registration.outcome = ExperimentRegistration::Outcome::forced_new;
    registration.previous_id = same_name.front().id;
  }
  transaction.commit();
  return registration;
}

std::optional<TrialRecord> ResultStore::find_trial(int64_t experiment_id,
                                                   const std::string& key) const {
  std::lock_guard<std::mutex> lock(mutex_);
  SqliteStatement query(
      db_, file_,
      select_trials() + " WHERE experiment_id = ? AND key = ?");
  query.bind(1, experiment_id).bind(2, key);
  if (!query.step()) return std::nullopt;
  return read_trial_row(query, file_);
}

void ResultStore::add_pending_trials(int64_t experiment_id,
                                     const std::vector<TrialProvenance>& trials) {
  std::lock_guard<std::mutex> lock(mutex_);
  const std::string what = "recording the planned trials as pending";
  WriteTransaction transaction(db_, file_, what);
  SqliteStatement insert(db_, file_,
                         "INSERT INTO trials (experiment_id, key, status, seed, repeat, config, "
                         "sweep_point) VALUES (?, ?, 'pending', ?, ?, ?, ?) "
                         "ON CONFLICT (experiment_id, key) DO NOTHING",
                         what);
  for (const auto& trial : trials) {
    insert.bind(1, experiment_id).bind(2, trial.key);
    insert.bind(3, static_cast<int64_t>(trial.seed)).bind(4, trial.repeat);
    insert.bind(5, json_column(trial.config)).bind(6, json_column(trial.sweep_point));
    insert.run();
  }
  transaction.commit();
}

int64_t ResultStore::start_trial(int64_t experiment_id, const TrialProvenance& provenance) {
  std::lock_guard<std::mutex> lock(mutex_);
  WriteTransaction transaction(db_, file_, "starting trial '" + provenance.key + "'");
  // A resumed trial keeps its row, last_epoch, checkpoint_dir and first start.
  const std::optional<std::string> first_start = started_at(experiment_id, provenance.key);
  if (first_start && trial_kinds_) {
    // A run must not overwrite another method's measured row of that name.
    SqliteStatement kind(db_, file_,
                         "SELECT kind FROM trials WHERE experiment_id = ? AND key = ?");
    kind.bind(1, experiment_id).bind(2, provenance.key);
    if (kind.step() && kind.column_text(0) != "trained") {
      throw StoreError(name() + ": trial key '" + provenance.key + "' names a trial of kind '" +
                       kind.column_text(0) + "' (not trained here); rename that trial's method");
    }
  }
  SqliteStatement upsert(
      db_, file_,
      std::string("INSERT INTO trials (experiment_id, key, status, error, seed, repeat, device, "
                  "torch_version, git_revision, host, plugins, config, sweep_point, started_at) "
                  "VALUES (?1, ?2, 'running', '', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ") +
          kSqlNow +
          ") ON CONFLICT (experiment_id, key) DO UPDATE SET status = 'running', error = '', "
          "seed = ?3, repeat = ?4, device = ?5, torch_version = ?6, git_revision = ?7, host = ?8, "
          "plugins = ?9, config = ?10, sweep_point = ?11, started_at = COALESCE(started_at, " +
          kSqlNow + "), ended_at = NULL");
  upsert.bind(1, experiment_id).bind(2, provenance.key);
  upsert.bind(3, static_cast<int64_t>(provenance.seed)).bind(4, provenance.repeat);
  upsert.bind(5, provenance.device).bind(6, provenance.torch_version);
  upsert.bind(7, provenance.git_revision).bind(8, provenance.host);
  upsert.bind(9, json_column(provenance.plugins)).bind(10, json_column(provenance.config));
  upsert.bind(11, json_column(provenance.sweep_point));
  upsert.run();
  SqliteStatement find(db_, file_, "SELECT id FROM trials WHERE experiment_id = ? AND key = ?");
  find.bind(1, experiment_id).bind(2, provenance.key);
  if (!find.step()) {
    throw StoreError("results database '" + file_.string() + "': trial '" + provenance.key +
                     "' vanished while it was being started");
  }
  const int64_t id = find.column_int(0);
  if (first_start && !first_start->empty()) {
    SqliteStatement event(db_, file_,
                          std::string("INSERT INTO events (trial_id, epoch, kind, message, at) "
                                      "SELECT id, last_epoch, 'attempt', 'attempt started ' || ") +
                              kSqlNow + " || ' (first start ' || started_at || ')', " + kSqlNow +
                              " FROM trials WHERE id = ?");
    event.bind(1, id);
    event.run();
  }
  transaction.commit();
  return id;
}

// The start time of the trial (experiment, key): nullopt without a row, ""
// for a row that never started (pending).
std::optional<std::string> ResultStore::started_at(int64_t experiment_id,
                                                   const std::string& key) const {
  SqliteStatement query(db_, file_,
                        "SELECT COALESCE(started_at, '') FROM trials "
                        "WHERE experiment_id = ? AND key = ?");
  query.bind(1, experiment_id).bind(2, key);
  if (!query.step()) return std::nullopt;
  return query.column_text(0);
}

std::vector<std::string> ResultStore::interrupt_stale_trials(const std::string& note) {
  std::lock_guard<std::mutex> lock(mutex_);
  const std::string what = "marking trials left running as interrupted";
  WriteTransaction transaction(db_, file_, what);
  std::vector<std::string> keys;
  {
    SqliteStatement query(db_, file_, "SELECT key FROM trials WHERE status = 'running'", what);
    while (query.step()) keys.push_back(query.column_text(0));
  }
  if (keys.empty()) return keys;
  SqliteStatement event(db_, file_,
                        std::string("INSERT INTO events (trial_id, epoch, kind, message, at) "
                                    "SELECT id, last_epoch, 'interrupted', ?, ") +
                            kSqlNow + " FROM trials WHERE status = 'running'",
                        what);
  event.bind(1, note);
  event.run();
  SqliteStatement update(db_, file_,
                         std::string("UPDATE trials SET status = 'interrupted', error = ?, "
                                     "ended_at = ") +
                             kSqlNow + " WHERE status = 'running'",
                         what);
  update.bind(1, note);
  update.run();
  transaction.commit();
  return keys;
}

void ResultStore::restart_trial(int64_t trial_id, const std::string& reason) {
  std::lock_guard<std::mutex> lock(mutex_);
  const std::string what = "clearing the old epochs of trial " + std::to_string(trial_id);
  WriteTransaction transaction(db_, file_, what);
  SqliteStatement update(db_, file_, "UPDATE trials SET last_epoch = -1 WHERE id = ?", what);
  update.bind(1, trial_id);
  update.run();
  check_trial_changed(trial_id);
  for (const char* table : {"epoch_metrics", "final_metrics", "throughput"}) {
    SqliteStatement clear(db_, file_, std::string("DELETE FROM ") + table + " WHERE trial_id = ?",
                          what);
    clear.bind(1, trial_id);
    clear.run();
  }
  SqliteStatement event(db_, file_,
                        std::string("INSERT INTO events (trial_id, epoch, kind, message, at) "
                                    "VALUES (?, -1, 'restart', ?, ") +
                            kSqlNow + ")",
                        what);
  event.bind(1, trial_id).bind(2, reason);
  event.run();
  transaction.commit();
}

void ResultStore::set_checkpoint_dir(int64_t trial_id, const std::string& dir) {
  std::lock_guard<std::mutex> lock(mutex_);
  WriteTransaction transaction(db_, file_, "setting the checkpoint folder");
  SqliteStatement update(db_, file_, "UPDATE trials SET checkpoint_dir = ? WHERE id = ?");
  update.bind(1, dir).bind(2, trial_id);
  update.run();
  transaction.commit();
}

void ResultStore::record_epoch(int64_t trial_id, int64_t epoch,
                               const std::vector<MetricRow>& rows) {
  std::lock_guard<std::mutex> lock(mutex_);
  const std::string what =
      "recording epoch " + std::to_string(epoch + 1) + " of trial " + std::to_string(trial_id);
  WriteTransaction transaction(db_, file_, what);
  SqliteStatement insert(db_, file_,
                         "INSERT OR REPLACE INTO epoch_metrics "
                         "(trial_id, epoch, split, metric, value, is_nan) "
                         "VALUES (?1, ?6, ?2, ?3, ?4, ?5)",
                         what);
  for (const auto& row : rows) {
    insert.bind(6, epoch);
    insert_metric_row(insert, trial_id, row);
  }
  SqliteStatement update(db_, file_, "UPDATE trials SET last_epoch = ? WHERE id = ?", what);
  update.bind(1, epoch).bind(2, trial_id);
  update.run();
  check_trial_changed(trial_id);
  transaction.commit();
}

void ResultStore::record_event(int64_t trial_id, int64_t epoch, const std::string& kind,
                               const std::string& message) {
  std::lock_guard<std::mutex> lock(mutex_);
  WriteTransaction transaction(db_, file_, "recording a '" + kind + "' event");
  SqliteStatement insert(db_, file_,
                         std::string("INSERT INTO events (trial_id, epoch, kind, message, at) "
                                     "VALUES (?, ?, ?, ?, ") +
                             kSqlNow + ")");
  insert.bind(1, trial_id).bind(2, epoch).bind(3, kind).bind(4, message);
  insert.run();
  transaction.commit();
}

void ResultStore::finish_trial(int64_t trial_id, TrialStatus status, const std::string& error,
                               const std::vector<MetricRow>& final_metrics,
                               const Throughput& throughput) {
  if (status != TrialStatus::done && status != TrialStatus::failed &&
      status != TrialStatus::interrupted) {
    throw StoreError(name() + ": cannot finish trial " + std::to_string(trial_id) +
                     " with status '" + status_name(status) +
                     "' (expected done, failed or interrupted)");
  }
  std::lock_guard<std::mutex> lock(mutex_);
  WriteTransaction transaction(db_, file_, "finishing trial " + std::to_string(trial_id));
  SqliteStatement update(
      db_, file_,
      std::string("UPDATE trials SET status = ?, error = ?, ended_at = ") + kSqlNow + " WHERE id = ?");
  update.bind(1, std::string(status_name(status))).bind(2, error).bind(3, trial_id);
  update.run();
  check_trial_changed(trial_id);
  SqliteStatement clear(db_, file_, "DELETE FROM final_metrics WHERE trial_id = ?");
  clear.bind(1, trial_id);
  clear.run();
  SqliteStatement insert(db_, file_,
                         "INSERT OR REPLACE INTO final_metrics "
                         "(trial_id, split, metric, value, is_nan) VALUES (?, ?, ?, ?, ?)");
  for (const auto& row : final_metrics) insert_metric_row(insert, trial_id, row);
  SqliteStatement speed(db_, file_,
                        "INSERT OR REPLACE INTO throughput (trial_id, train_images_per_s, "
                        "eval_images_per_s, step_time_ms, data_wait_ms, peak_memory_mb, "
                        "effective_batch, extra) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  speed.bind(1, trial_id).bind(2, throughput.train_images_per_s);
  speed.bind(3, throughput.eval_images_per_s).bind(4, throughput.step_time_ms);
  speed.bind(5, throughput.data_wait_ms).bind(6, throughput.peak_memory_mb);
  speed.bind(7, throughput.effective_batch);
  speed.bind(8, throughput.extra.is_object() ? throughput.extra.dump() : std::string("{}"));
  speed.run();
  transaction.commit();
}

void ResultStore::add_final_metrics(int64_t trial_id, const std::vector<MetricRow>& rows) {
  std::lock_guard<std::mutex> lock(mutex_);
  const std::string what = "adding final metrics of trial " + std::to_string(trial_id);
  WriteTransaction transaction(db_, file_, what);
  // Touching the row proves the trial exists before any metric names it.
  SqliteStatement touch(db_, file_, "UPDATE trials SET id = id WHERE id = ?", what);
  touch.bind(1, trial_id);
  touch.run();
  check_trial_changed(trial_id);
  SqliteStatement insert(db_, file_,
                         "INSERT OR REPLACE INTO final_metrics "
                         "(trial_id, split, metric, value, is_nan) VALUES (?, ?, ?, ?, ?)",
                         what);
  for (const auto& row : rows) insert_metric_row(insert, trial_id, row);
  transaction.commit();
}

void ResultStore::write_conventions(const std::vector<MetricDeclaration>& conventions) {
  for (const auto& convention : conventions) {
    if (convention.better != "higher" && convention.better != "lower" &&
        !convention.better.empty()) {
      throw StoreError("results database '" + file_.string() + "': metric '" + convention.name +
                       "' has better='" + convention.better +
                       "' (expected higher, lower or empty)");
    }
  }
  std::lock_guard<std::mutex> lock(mutex_);
  WriteTransaction transaction(db_, file_, "writing metric conventions");
  SqliteStatement upsert(db_, file_,
                         "INSERT OR REPLACE INTO metric_conventions (metric, description, unit, "
                         "better, range_min, range_max, colour_space, quantised) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                         "writing metric conventions");
  for (const auto& convention : conventions) {
    upsert.bind(1, convention.name).bind(2, convention.description);
    upsert.bind(3, convention.unit).bind(4, convention.better);
    bind_convention_columns(upsert, 5, convention);
    upsert.run();
  }
  transaction.commit();
}

}  // namespace stegolab
