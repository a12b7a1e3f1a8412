#include "store/result_store.hpp"

#include <set>

#include <sqlite3.h>

#include "spec/experiment_identity.hpp"
#include "store/schema_sql.hpp"
#include "store/schema_v2_metric_facts.hpp"
#include "store/store_rows.hpp"

namespace stegolab {

std::string ResultStore::name() const { return "results database '" + file_.string() + "'"; }

std::string ResultStore::select_trials() const {
  return std::string("SELECT ") + kTrialColumns + (trial_kinds_ ? ", kind" : ", 'trained'") +
         " FROM trials";
}

void ResultStore::check_trial_changed(int64_t trial_id) const {
  if (sqlite3_changes(db_) == 0) {
    throw StoreError(name() + ": no trial with id " + std::to_string(trial_id));
  }
}

ResultStore::ResultStore(const std::filesystem::path& file, Mode mode) : file_(file), mode_(mode) {
  const std::string name = this->name();
  std::error_code ec;
  if (mode_ != Mode::read_write) {
    if (!std::filesystem::is_regular_file(file_, ec)) {
      throw StoreError(name + " does not exist (or is not a file)");
    }
  } else if (file_.has_parent_path()) {
    std::filesystem::create_directories(file_.parent_path(), ec);
    if (ec) {
      throw StoreError("cannot create the folder of " + name + ": " + ec.message());
    }
  }
  const int flags = mode_ != Mode::read_write ? SQLITE_OPEN_READONLY | SQLITE_OPEN_URI
                                              : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  // mode=ro also keeps a read-only open from creating the file by accident.
  const std::string target = mode_ == Mode::read_only  ? sqlite_file_uri(file_, "mode=ro")
                             : mode_ == Mode::snapshot ? sqlite_file_uri(file_, "immutable=1")
                                                       : file_.string();
  int rc = sqlite3_open_v2(target.c_str(), &db_, flags | SQLITE_OPEN_FULLMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string detail = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw StoreError("cannot open " + name + ": " + detail);
  }
  sqlite3_busy_timeout(db_, 5000);
  try {
    if (mode_ != Mode::read_write) {
      check_schema_readable();
    } else {
      create_or_migrate_schema();
    }
    // A file older than version 4, read as it is, has no trials.kind: its
    // trials were all trained.
    SqliteStatement kind(db_, file_,
                         "SELECT count(*) FROM pragma_table_info('trials') WHERE name = 'kind'");
    trial_kinds_ = kind.step() && kind.column_int(0) != 0;
  } catch (...) {
    sqlite3_close(db_);
    db_ = nullptr;
    throw;
  }
}

ResultStore::~ResultStore() { sqlite3_close(db_); }

void ResultStore::check_schema_readable() {
  const std::string name = this->name();
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
    missing_wal = open_without_wal();
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

// A WAL database in a read-only folder cannot get its -shm file; opening it
// as immutable reads the main file only, which is what a copied file holds.
std::string ResultStore::open_without_wal() {
  sqlite3_close(db_);
  db_ = nullptr;
  const std::string uri = sqlite_file_uri(file_, "immutable=1");
  if (sqlite3_open_v2(uri.c_str(), &db_,
                      SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_FULLMUTEX,
                      nullptr) != SQLITE_OK) {
    throw StoreError("cannot open " + name() + " read-only: " + sqlite3_errmsg(db_));
  }
  // Writes that were not checkpointed yet live only in the -wal file,
  // which an immutable open ignores: say so rather than show old data.
  std::string missing_wal;
  std::error_code ec;
  const std::filesystem::path wal = file_.string() + "-wal";
  if (std::filesystem::is_regular_file(wal, ec) && std::filesystem::file_size(wal, ec) > 0 && !ec) {
    missing_wal = "'" + wal.string() +
                  "' could not be read with it (the folder is read-only), so the most "
                  "recent writes may be missing; copy the database together with its -wal "
                  "file to a writable folder, or checkpoint it where it was written "
                  "(sqlite3 FILE 'PRAGMA wal_checkpoint')";
    warnings_.push_back(name() + " was opened without its write-ahead log: " + missing_wal);
  }
  sqlite_exec(db_, file_, "PRAGMA query_only = 1", "opening read-only");
  return missing_wal;
}

void ResultStore::create_or_migrate_schema() {
  const std::string name = this->name();
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
  if (version <= 2)
    sqlite_exec(db_, file_, kMigrationV3, "migrating the schema from version 2 to 3");
  if (version <= 3)
    sqlite_exec(db_, file_, kMigrationV4, "migrating the schema from version 3 to 4");
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
    const std::optional<MetricDeclaration> convention = schema_v2_metric_facts(metric);
    if (!convention) continue;
    bind_convention_columns(update, 1, *convention);
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

}  // namespace stegolab
