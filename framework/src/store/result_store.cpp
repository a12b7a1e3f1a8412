#include "store/result_store.hpp"

#include <cstdio>
#include <set>

#include <sqlite3.h>

#include "spec/experiment_identity.hpp"
#include "store/schema_v2_metric_facts.hpp"
#include "store/sqlite_statement.hpp"

namespace stegolab {

namespace {

// Version 1, as the first release wrote it. A new file is created at version 1
// and then migrated like an old one, so every file takes the same path.
// NaN: SQLite stores a NaN REAL as NULL, so metric tables keep `value` NULL
// and `is_nan` 1 for a NaN; a NULL with is_nan 0 cannot occur (CHECK). Plain
// SQL aggregates (AVG, MIN) therefore skip NaN values instead of reading 0.
const char* const kSchemaV1 = R"SQL(
CREATE TABLE schema_version (version INTEGER NOT NULL);
CREATE TABLE experiments (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  json TEXT NOT NULL CHECK (json_valid(json)),
  hash TEXT NOT NULL,
  created TEXT NOT NULL
);
CREATE INDEX experiments_by_name ON experiments(name, hash);
CREATE TABLE trials (
  id INTEGER PRIMARY KEY,
  experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending','running','done','failed','interrupted')),
  error TEXT NOT NULL DEFAULT '',
  seed INTEGER NOT NULL DEFAULT 0,
  repeat INTEGER NOT NULL DEFAULT 0,
  device TEXT NOT NULL DEFAULT '',
  torch_version TEXT NOT NULL DEFAULT '',
  git_revision TEXT NOT NULL DEFAULT '',
  host TEXT NOT NULL DEFAULT '',
  plugins TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(plugins)),
  config TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(config)),
  sweep_point TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(sweep_point)),
  checkpoint_dir TEXT NOT NULL DEFAULT '',
  last_epoch INTEGER NOT NULL DEFAULT -1,
  started_at TEXT,
  ended_at TEXT,
  UNIQUE (experiment_id, key)
);
CREATE INDEX trials_by_status ON trials(experiment_id, status);
CREATE TABLE epoch_metrics (
  trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
  epoch INTEGER NOT NULL,
  split TEXT NOT NULL CHECK (split IN ('train','val','test')),
  metric TEXT NOT NULL,
  value REAL,
  is_nan INTEGER NOT NULL DEFAULT 0 CHECK (is_nan IN (0,1) AND (is_nan = 1) = (value IS NULL)),
  PRIMARY KEY (trial_id, epoch, split, metric)
);
CREATE INDEX epoch_metrics_by_metric ON epoch_metrics(metric, split, trial_id, epoch);
CREATE TABLE final_metrics (
  trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
  split TEXT NOT NULL CHECK (split IN ('train','val','test')),
  metric TEXT NOT NULL,
  value REAL,
  is_nan INTEGER NOT NULL DEFAULT 0 CHECK (is_nan IN (0,1) AND (is_nan = 1) = (value IS NULL)),
  PRIMARY KEY (trial_id, split, metric)
);
CREATE INDEX final_metrics_by_metric ON final_metrics(metric, split);
CREATE TABLE throughput (
  trial_id INTEGER PRIMARY KEY REFERENCES trials(id) ON DELETE CASCADE,
  train_images_per_s REAL,
  eval_images_per_s REAL,
  step_time_ms REAL,
  data_wait_ms REAL,
  peak_memory_mb REAL,
  effective_batch INTEGER NOT NULL DEFAULT 0,
  extra TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(extra))
);
CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
  epoch INTEGER NOT NULL,
  kind TEXT NOT NULL,
  message TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX events_by_trial ON events(trial_id, id);
CREATE TABLE metric_conventions (
  metric TEXT PRIMARY KEY,
  description TEXT NOT NULL DEFAULT '',
  unit TEXT NOT NULL DEFAULT '',
  better TEXT NOT NULL DEFAULT '' CHECK (better IN ('higher','lower',''))
);
CREATE VIEW trial_summary AS
  SELECT t.id AS trial_id, e.id AS experiment_id, e.name AS experiment, t.key, t.status,
         t.repeat, t.seed, t.sweep_point, t.device, t.last_epoch, t.started_at, t.ended_at,
         (julianday(t.ended_at) - julianday(t.started_at)) * 86400.0 AS duration_s,
         tp.train_images_per_s, tp.eval_images_per_s, tp.step_time_ms, tp.data_wait_ms,
         tp.peak_memory_mb, tp.effective_batch, t.error, t.config
  FROM trials t
  JOIN experiments e ON e.id = t.experiment_id
  LEFT JOIN throughput tp ON tp.trial_id = t.id;
CREATE VIEW final_results AS
  SELECT s.experiment, s.experiment_id, s.trial_id, s.key, s.status, s.repeat, s.sweep_point,
         f.split, f.metric, f.value, f.is_nan
  FROM trial_summary s
  JOIN final_metrics f ON f.trial_id = s.trial_id;
INSERT INTO schema_version (version) VALUES (1);
)SQL";

// Version 2: what each metric means, as typed columns one can filter on
// (NULL: not applicable or not known). Filled by write_conventions().
const char* const kMigrationV2 = R"SQL(
ALTER TABLE metric_conventions ADD COLUMN range_min REAL;
ALTER TABLE metric_conventions ADD COLUMN range_max REAL;
ALTER TABLE metric_conventions ADD COLUMN colour_space TEXT
  CHECK (colour_space IS NULL OR colour_space IN ('RGB', 'Y'));
ALTER TABLE metric_conventions ADD COLUMN quantised INTEGER
  CHECK (quantised IS NULL OR quantised IN (0, 1));
UPDATE schema_version SET version = 2;
)SQL";

// The typed columns of a metric convention (range, colour space, quantised).
void bind_columns(SqliteStatement& statement, int first, const MetricConvention& convention) {
  if (convention.range_min)
    statement.bind(first, *convention.range_min);
  else
    statement.bind_null(first);
  if (convention.range_max)
    statement.bind(first + 1, *convention.range_max);
  else
    statement.bind_null(first + 1);
  if (!convention.colour_space.empty())
    statement.bind(first + 2, convention.colour_space);
  else
    statement.bind_null(first + 2);
  if (convention.quantised)
    statement.bind(first + 3, static_cast<int64_t>(*convention.quantised ? 1 : 0));
  else
    statement.bind_null(first + 3);
}

const char* const kNow = "strftime('%Y-%m-%dT%H:%M:%fZ','now')";

nlohmann::json parse_json_column(const std::string& text) {
  if (text.empty()) return nlohmann::json::object();
  return nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
}

// file: URI for sqlite3_open_v2 with SQLITE_OPEN_URI (percent-encodes what a URI reserves).
std::string file_uri(const std::filesystem::path& file, const std::string& query) {
  std::string uri = "file:";
  for (const char c : std::filesystem::absolute(file).string()) {
    if (c == '%' || c == '?' || c == '#') {
      char escaped[4];
      std::snprintf(escaped, sizeof escaped, "%%%02X", static_cast<unsigned char>(c));
      uri += escaped;
    } else {
      uri += c;
    }
  }
  return uri + "?" + query;
}

// BEGIN IMMEDIATE takes the write lock up front (waiting up to the busy
// timeout), so a transaction never fails half-way on a lock upgrade.
class WriteTransaction {
 public:
  WriteTransaction(sqlite3* db, const std::filesystem::path& file, std::string what)
      : db_(db), file_(file), what_(std::move(what)) {
    sqlite_exec(db_, file_, "BEGIN IMMEDIATE", what_);
  }
  ~WriteTransaction() {
    if (!committed_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  void commit() {
    sqlite_exec(db_, file_, "COMMIT", what_);
    committed_ = true;
  }

 private:
  sqlite3* db_;
  const std::filesystem::path& file_;
  std::string what_;
  bool committed_ = false;
};

void check_split(const std::filesystem::path& file, const std::string& split) {
  if (split != "train" && split != "val" && split != "test") {
    throw StoreError("results database '" + file.string() + "': metric split '" + split +
                     "' is not one of train, val, test");
  }
}

void insert_metric(SqliteStatement& insert, int64_t trial_id, const MetricRow& row) {
  insert.bind(1, trial_id).bind(2, row.split).bind(3, row.metric).bind(4, row.value);
  insert.bind(5, static_cast<int64_t>(std::isnan(row.value) ? 1 : 0));
  insert.run();
}

MetricRow read_metric(const SqliteStatement& query, int64_t epoch, int first_column) {
  MetricRow row;
  row.epoch = epoch;
  row.split = query.column_text(first_column);
  row.metric = query.column_text(first_column + 1);
  row.value = query.column_double(first_column + 2);  // NULL (is_nan) reads as NaN
  return row;
}

const char* const kTrialColumns =
    "id, experiment_id, key, status, error, last_epoch, checkpoint_dir, config, sweep_point, "
    "repeat, seed, device, torch_version, git_revision, host, plugins, "
    "COALESCE(started_at,''), COALESCE(ended_at,'')";

TrialRecord read_trial(const SqliteStatement& query) {
  TrialRecord trial;
  trial.id = query.column_int(0);
  trial.experiment_id = query.column_int(1);
  trial.key = query.column_text(2);
  trial.status = query.column_text(3);
  trial.error = query.column_text(4);
  trial.last_epoch = query.column_int(5);
  trial.checkpoint_dir = query.column_text(6);
  trial.config = parse_json_column(query.column_text(7));
  trial.sweep_point = parse_json_column(query.column_text(8));
  trial.repeat = query.column_int(9);
  trial.seed = static_cast<uint64_t>(query.column_int(10));
  trial.device = query.column_text(11);
  trial.torch_version = query.column_text(12);
  trial.git_revision = query.column_text(13);
  trial.host = query.column_text(14);
  trial.plugins = parse_json_column(query.column_text(15));
  trial.started_at = query.column_text(16);
  trial.ended_at = query.column_text(17);
  return trial;
}

}  // namespace

ResultStore::ResultStore(const std::filesystem::path& file, Mode mode) : file_(file), mode_(mode) {
  const std::string name = "results database '" + file_.string() + "'";
  std::error_code ec;
  if (mode_ == Mode::read_only) {
    if (!std::filesystem::is_regular_file(file_, ec)) {
      throw StoreError(name + " does not exist (or is not a file)");
    }
  } else if (file_.has_parent_path()) {
    std::filesystem::create_directories(file_.parent_path(), ec);
    if (ec) {
      throw StoreError("cannot create the folder of " + name + ": " + ec.message());
    }
  }
  const int flags = mode_ == Mode::read_only ? SQLITE_OPEN_READONLY | SQLITE_OPEN_URI
                                             : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  // mode=ro also keeps a read-only open from creating the file by accident.
  const std::string target = mode_ == Mode::read_only ? file_uri(file_, "mode=ro") : file_.string();
  int rc = sqlite3_open_v2(target.c_str(), &db_, flags | SQLITE_OPEN_FULLMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string detail = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw StoreError("cannot open " + name + ": " + detail);
  }
  sqlite3_busy_timeout(db_, 5000);
  try {
    if (mode_ == Mode::read_only) {
      check_schema_readable();
    } else {
      create_or_migrate_schema();
    }
  } catch (...) {
    sqlite3_close(db_);
    db_ = nullptr;
    throw;
  }
}

ResultStore::~ResultStore() { sqlite3_close(db_); }

void ResultStore::check_schema_readable() {
  const std::string name = "results database '" + file_.string() + "'";
  sqlite_exec(db_, file_, "PRAGMA query_only = 1", "opening read-only");
  int version = -1;
  auto read_version = [&] {
    SqliteStatement tables(db_, file_,
                           "SELECT count(*) FROM sqlite_master WHERE name = 'schema_version'");
    tables.step();
    if (tables.column_int(0) == 0) return;
    SqliteStatement query(db_, file_, "SELECT max(version) FROM schema_version");
    if (query.step()) version = static_cast<int>(query.column_int(0));
  };
  std::string missing_wal;  // set when the immutable open cannot see a -wal file's writes
  try {
    read_version();
  } catch (const StoreError&) {
    // A WAL database in a read-only folder cannot get its -shm file; opening it
    // as immutable reads the main file only, which is what a copied file holds.
    sqlite3_close(db_);
    db_ = nullptr;
    const std::string uri = file_uri(file_, "immutable=1");
    if (sqlite3_open_v2(uri.c_str(), &db_,
                        SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_FULLMUTEX,
                        nullptr) != SQLITE_OK) {
      throw StoreError("cannot open " + name + " read-only: " + sqlite3_errmsg(db_));
    }
    // Writes that were not checkpointed yet live only in the -wal file,
    // which an immutable open ignores: say so rather than show old data.
    std::error_code ec;
    const std::filesystem::path wal = file_.string() + "-wal";
    if (std::filesystem::is_regular_file(wal, ec) && std::filesystem::file_size(wal, ec) > 0 &&
        !ec) {
      missing_wal = "'" + wal.string() +
                    "' could not be read with it (the folder is read-only), so the most "
                    "recent writes may be missing; copy the database together with its -wal "
                    "file to a writable folder, or checkpoint it where it was written "
                    "(sqlite3 FILE 'PRAGMA wal_checkpoint')";
      warnings_.push_back(name + " was opened without its write-ahead log: " + missing_wal);
    }
    sqlite_exec(db_, file_, "PRAGMA query_only = 1", "opening read-only");
    read_version();
  }
  if (version < 0) {
    throw StoreError("'" + file_.string() +
                     "' is not a stegolab results database (it has no schema_version table)" +
                     (missing_wal.empty() ? "" : "; " + missing_wal));
  }
  if (version > kSchemaVersion) {
    throw StoreError(name + " has schema version " + std::to_string(version) +
                     ", newer than this stegolab understands (" + std::to_string(kSchemaVersion) +
                     "); use a newer stegolab");
  }
  // Older versions are read as they are: every query of the read commands
  // works on version 1 too, and a copied file must stay untouched.
}

void ResultStore::create_or_migrate_schema() {
  const std::string name = "results database '" + file_.string() + "'";
  // Reading the header first turns "file is not a database" into a clear error
  // before anything is written.
  SqliteStatement objects(db_, file_, "SELECT name FROM sqlite_master WHERE type = 'table'");
  std::set<std::string> tables;
  while (objects.step()) tables.insert(objects.column_text(0));
  int version = 0;
  if (tables.count("schema_version") != 0) {
    SqliteStatement query(db_, file_, "SELECT max(version) FROM schema_version");
    if (query.step()) version = static_cast<int>(query.column_int(0));
  } else if (!tables.empty()) {
    throw StoreError("'" + file_.string() +
                     "' is not a stegolab results database (it has tables but no "
                     "schema_version); choose another --db file");
  }
  if (version > kSchemaVersion) {
    throw StoreError(name + " has schema version " + std::to_string(version) +
                     ", newer than this stegolab understands (" + std::to_string(kSchemaVersion) +
                     "); it was not modified");
  }
  // WAL lets readers (results, report, plot) run while a sweep writes.
  {
    SqliteStatement wal(db_, file_, "PRAGMA journal_mode = WAL");
    wal.step();
  }
  sqlite_exec(db_, file_, "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL", "configuring");
  if (version == kSchemaVersion) return;
  WriteTransaction transaction(db_, file_, "creating the schema");
  if (version == 0) {
    sqlite_exec(db_, file_, kSchemaV1, "creating the schema");
    version = 1;
  }
  if (version == 1) migrate_v1_to_v2();
  transaction.commit();
}

// Inside the caller's transaction: a failure leaves the file at version 1.
void ResultStore::migrate_v1_to_v2() {
  const std::string what = "migrating the schema from version 1 to 2";
  sqlite_exec(db_, file_, kMigrationV2, what);
  // The new columns of the stored conventions, from version 2's frozen
  // definitions (a metric they do not describe keeps NULLs).
  std::vector<std::string> metrics;
  {
    SqliteStatement query(db_, file_, "SELECT metric FROM metric_conventions", what);
    while (query.step()) metrics.push_back(query.column_text(0));
  }
  SqliteStatement update(db_, file_,
                         "UPDATE metric_conventions SET range_min = ?, range_max = ?, "
                         "colour_space = ?, quantised = ? WHERE metric = ?",
                         what);
  for (const auto& metric : metrics) {
    const std::optional<MetricConvention> convention = schema_v2_metric_facts(metric);
    if (!convention) continue;
    bind_columns(update, 1, *convention);
    update.bind(5, metric);
    update.run();
  }
  // Version 1 hashed the whole JSON with a wrong FNV offset basis; the hash
  // is now that of the experiment's identity, so recompute it.
  std::vector<std::pair<int64_t, std::string>> experiments;
  {
    SqliteStatement query(db_, file_, "SELECT id, json FROM experiments", what);
    while (query.step()) experiments.emplace_back(query.column_int(0), query.column_text(1));
  }
  SqliteStatement rehash(db_, file_, "UPDATE experiments SET hash = ? WHERE id = ?", what);
  for (const auto& [id, text] : experiments) {
    rehash.bind(1, experiment_hash(parse_json_column(text))).bind(2, id);
    rehash.run();
  }
}

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
    const auto patch = nlohmann::json::diff(experiment_identity(same_name.front().json), identity);
    std::string paths;
    size_t listed = 0;
    for (const auto& op : patch) {
      if (listed == 12) {
        paths += ", ... (" + std::to_string(patch.size() - listed) + " more)";
        break;
      }
      paths += (listed++ == 0 ? "" : ", ") + op.at("path").get<std::string>() + " (" +
               op.at("op").get<std::string>() + ")";
    }
    throw StoreError("results database '" + file_.string() + "' already holds experiment '" + name +
                     "' (id " + std::to_string(same_name.front().id) +
                     ") with a different definition; changed: " + paths +
                     ". Rename the experiment, use another --db, or pass --force-new to "
                     "record a new experiment under the same name");
  }
  SqliteStatement insert(db_, file_,
                         std::string("INSERT INTO experiments (name, json, hash, created) "
                                     "VALUES (?, ?, ?, ") +
                             kNow + ")",
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
      std::string("SELECT ") + kTrialColumns + " FROM trials WHERE experiment_id = ? AND key = ?");
  query.bind(1, experiment_id).bind(2, key);
  if (!query.step()) return std::nullopt;
  return read_trial(query);
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
    insert.bind(5, trial.config.is_null() ? std::string("{}") : trial.config.dump());
    insert.bind(6, trial.sweep_point.is_null() ? std::string("{}") : trial.sweep_point.dump());
    insert.run();
  }
  transaction.commit();
}

int64_t ResultStore::start_trial(int64_t experiment_id, const TrialProvenance& provenance) {
  std::lock_guard<std::mutex> lock(mutex_);
  WriteTransaction transaction(db_, file_, "starting trial '" + provenance.key + "'");
  // A resumed trial keeps its row, last_epoch and checkpoint_dir.
  SqliteStatement upsert(
      db_, file_,
      std::string("INSERT INTO trials (experiment_id, key, status, error, seed, repeat, device, "
                  "torch_version, git_revision, host, plugins, config, sweep_point, started_at) "
                  "VALUES (?1, ?2, 'running', '', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ") +
          kNow +
          ") ON CONFLICT (experiment_id, key) DO UPDATE SET status = 'running', error = '', "
          "seed = ?3, repeat = ?4, device = ?5, torch_version = ?6, git_revision = ?7, host = ?8, "
          "plugins = ?9, config = ?10, sweep_point = ?11, started_at = " +
          kNow + ", ended_at = NULL");
  auto json_text = [](const nlohmann::json& value) {
    return value.is_null() ? std::string("{}") : value.dump();
  };
  upsert.bind(1, experiment_id).bind(2, provenance.key);
  upsert.bind(3, static_cast<int64_t>(provenance.seed)).bind(4, provenance.repeat);
  upsert.bind(5, provenance.device).bind(6, provenance.torch_version);
  upsert.bind(7, provenance.git_revision).bind(8, provenance.host);
  upsert.bind(9, json_text(provenance.plugins)).bind(10, json_text(provenance.config));
  upsert.bind(11, json_text(provenance.sweep_point));
  upsert.run();
  SqliteStatement find(db_, file_, "SELECT id FROM trials WHERE experiment_id = ? AND key = ?");
  find.bind(1, experiment_id).bind(2, provenance.key);
  if (!find.step()) {
    throw StoreError("results database '" + file_.string() + "': trial '" + provenance.key +
                     "' vanished while it was being started");
  }
  const int64_t id = find.column_int(0);
  transaction.commit();
  return id;
}

void ResultStore::restart_trial(int64_t trial_id, const std::string& reason) {
  std::lock_guard<std::mutex> lock(mutex_);
  const std::string what = "clearing the old epochs of trial " + std::to_string(trial_id);
  WriteTransaction transaction(db_, file_, what);
  SqliteStatement update(db_, file_, "UPDATE trials SET last_epoch = -1 WHERE id = ?", what);
  update.bind(1, trial_id);
  update.run();
  if (sqlite3_changes(db_) == 0) {
    throw StoreError("results database '" + file_.string() + "': no trial with id " +
                     std::to_string(trial_id));
  }
  for (const char* table : {"epoch_metrics", "final_metrics", "throughput"}) {
    SqliteStatement clear(db_, file_, std::string("DELETE FROM ") + table + " WHERE trial_id = ?",
                          what);
    clear.bind(1, trial_id);
    clear.run();
  }
  SqliteStatement event(db_, file_,
                        std::string("INSERT INTO events (trial_id, epoch, kind, message, at) "
                                    "VALUES (?, -1, 'restart', ?, ") +
                            kNow + ")",
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
  for (const auto& row : rows) check_split(file_, row.split);
  std::lock_guard<std::mutex> lock(mutex_);
  const std::string what =
      "recording epoch " + std::to_string(epoch) + " of trial " + std::to_string(trial_id);
  WriteTransaction transaction(db_, file_, what);
  SqliteStatement insert(db_, file_,
                         "INSERT OR REPLACE INTO epoch_metrics "
                         "(trial_id, epoch, split, metric, value, is_nan) "
                         "VALUES (?1, ?6, ?2, ?3, ?4, ?5)",
                         what);
  for (const auto& row : rows) {
    insert.bind(6, epoch);
    insert_metric(insert, trial_id, row);
  }
  SqliteStatement update(db_, file_, "UPDATE trials SET last_epoch = ? WHERE id = ?", what);
  update.bind(1, epoch).bind(2, trial_id);
  update.run();
  if (sqlite3_changes(db_) == 0) {
    throw StoreError("results database '" + file_.string() + "': no trial with id " +
                     std::to_string(trial_id));
  }
  transaction.commit();
}

void ResultStore::record_event(int64_t trial_id, int64_t epoch, const std::string& kind,
                               const std::string& message) {
  std::lock_guard<std::mutex> lock(mutex_);
  WriteTransaction transaction(db_, file_, "recording a '" + kind + "' event");
  SqliteStatement insert(db_, file_,
                         std::string("INSERT INTO events (trial_id, epoch, kind, message, at) "
                                     "VALUES (?, ?, ?, ?, ") +
                             kNow + ")");
  insert.bind(1, trial_id).bind(2, epoch).bind(3, kind).bind(4, message);
  insert.run();
  transaction.commit();
}

void ResultStore::finish_trial(int64_t trial_id, const std::string& status,
                               const std::string& error,
                               const std::vector<MetricRow>& final_metrics,
                               const Throughput& throughput) {
  if (status != "done" && status != "failed" && status != "interrupted") {
    throw StoreError("results database '" + file_.string() + "': cannot finish trial " +
                     std::to_string(trial_id) + " with status '" + status +
                     "' (expected done, failed or interrupted)");
  }
  for (const auto& row : final_metrics) check_split(file_, row.split);
  std::lock_guard<std::mutex> lock(mutex_);
  WriteTransaction transaction(db_, file_, "finishing trial " + std::to_string(trial_id));
  SqliteStatement update(
      db_, file_,
      std::string("UPDATE trials SET status = ?, error = ?, ended_at = ") + kNow + " WHERE id = ?");
  update.bind(1, status).bind(2, error).bind(3, trial_id);
  update.run();
  if (sqlite3_changes(db_) == 0) {
    throw StoreError("results database '" + file_.string() + "': no trial with id " +
                     std::to_string(trial_id));
  }
  SqliteStatement clear(db_, file_, "DELETE FROM final_metrics WHERE trial_id = ?");
  clear.bind(1, trial_id);
  clear.run();
  SqliteStatement insert(db_, file_,
                         "INSERT OR REPLACE INTO final_metrics "
                         "(trial_id, split, metric, value, is_nan) VALUES (?, ?, ?, ?, ?)");
  for (const auto& row : final_metrics) insert_metric(insert, trial_id, row);
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

void ResultStore::write_conventions(const std::vector<MetricConvention>& conventions) {
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
    bind_columns(upsert, 5, convention);
    upsert.run();
  }
  transaction.commit();
}

std::vector<ExperimentRecord> ResultStore::experiments() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<ExperimentRecord> result;
  SqliteStatement query(db_, file_,
                        "SELECT id, name, hash, created, json FROM experiments ORDER BY id");
  while (query.step()) {
    ExperimentRecord record;
    record.id = query.column_int(0);
    record.name = query.column_text(1);
    record.hash = query.column_text(2);
    record.created = query.column_text(3);
    record.experiment = parse_json_column(query.column_text(4));
    result.push_back(std::move(record));
  }
  SqliteStatement counts(db_, file_,
                         "SELECT experiment_id, status, count(*) FROM trials "
                         "GROUP BY experiment_id, status");
  while (counts.step()) {
    for (auto& record : result) {
      if (record.id == counts.column_int(0)) {
        record.status_counts[counts.column_text(1)] = counts.column_int(2);
      }
    }
  }
  return result;
}

ExperimentRecord ResultStore::experiment(const std::string& name_or_id) const {
  const auto all = experiments();
  const bool numeric =
      !name_or_id.empty() && name_or_id.find_first_not_of("0123456789") == std::string::npos;
  for (auto it = all.rbegin(); it != all.rend(); ++it) {
    if (it->name == name_or_id || (numeric && std::to_string(it->id) == name_or_id)) return *it;
  }
  std::string known;
  for (const auto& record : all) {
    known += (known.empty() ? "" : ", ") + record.name + " (id " + std::to_string(record.id) + ")";
  }
  throw StoreError("results database '" + file_.string() + "' has no experiment '" + name_or_id +
                   "'; it has: " + (known.empty() ? std::string("none") : known));
}

std::vector<TrialRecord> ResultStore::trials(int64_t experiment_id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  SqliteStatement query(
      db_, file_,
      std::string("SELECT ") + kTrialColumns + " FROM trials WHERE experiment_id = ? ORDER BY id");
  query.bind(1, experiment_id);
  std::vector<TrialRecord> result;
  while (query.step()) result.push_back(read_trial(query));
  return result;
}

TrialRecord ResultStore::trial(int64_t trial_id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  SqliteStatement query(db_, file_,
                        std::string("SELECT ") + kTrialColumns + " FROM trials WHERE id = ?");
  query.bind(1, trial_id);
  if (!query.step()) {
    throw StoreError("results database '" + file_.string() + "' has no trial with id " +
                     std::to_string(trial_id));
  }
  return read_trial(query);
}

std::vector<MetricRow> ResultStore::epoch_metrics(int64_t trial_id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  SqliteStatement query(db_, file_,
                        "SELECT epoch, split, metric, value FROM epoch_metrics WHERE trial_id = ? "
                        "ORDER BY epoch, CASE split WHEN 'train' THEN 0 WHEN 'val' THEN 1 "
                        "ELSE 2 END, metric");
  query.bind(1, trial_id);
  std::vector<MetricRow> rows;
  while (query.step()) rows.push_back(read_metric(query, query.column_int(0), 1));
  return rows;
}

std::vector<MetricRow> ResultStore::final_metrics(int64_t trial_id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  SqliteStatement query(db_, file_,
                        "SELECT f.split, f.metric, f.value, t.last_epoch FROM final_metrics f "
                        "JOIN trials t ON t.id = f.trial_id WHERE f.trial_id = ? "
                        "ORDER BY CASE f.split WHEN 'train' THEN 0 WHEN 'val' THEN 1 "
                        "ELSE 2 END, f.metric");
  query.bind(1, trial_id);
  std::vector<MetricRow> rows;
  while (query.step()) rows.push_back(read_metric(query, query.column_int(3), 0));
  return rows;
}

std::optional<Throughput> ResultStore::throughput(int64_t trial_id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  SqliteStatement query(db_, file_,
                        "SELECT train_images_per_s, eval_images_per_s, step_time_ms, "
                        "data_wait_ms, peak_memory_mb, effective_batch, extra "
                        "FROM throughput WHERE trial_id = ?");
  query.bind(1, trial_id);
  if (!query.step()) return std::nullopt;
  Throughput result;
  result.train_images_per_s = query.column_double(0);
  result.eval_images_per_s = query.column_double(1);
  result.step_time_ms = query.column_double(2);
  result.data_wait_ms = query.column_double(3);
  result.peak_memory_mb = query.column_double(4);
  result.effective_batch = query.column_int(5);
  result.extra = parse_json_column(query.column_text(6));
  return result;
}

std::vector<EventRecord> ResultStore::events(int64_t trial_id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  SqliteStatement query(db_, file_,
                        "SELECT epoch, kind, message, at FROM events WHERE trial_id = ? "
                        "ORDER BY id");
  query.bind(1, trial_id);
  std::vector<EventRecord> result;
  while (query.step()) {
    result.push_back({trial_id, query.column_int(0), query.column_text(1), query.column_text(2),
                      query.column_text(3)});
  }
  return result;
}

std::vector<MetricConvention> ResultStore::conventions() const {
  std::lock_guard<std::mutex> lock(mutex_);
  SqliteStatement query(db_, file_,
                        "SELECT metric, description, unit, better FROM metric_conventions "
                        "ORDER BY metric");
  std::vector<MetricConvention> result;
  while (query.step()) {
    result.push_back(
        {query.column_text(0), query.column_text(1), query.column_text(2), query.column_text(3)});
  }
  return result;
}

}  // namespace stegolab
