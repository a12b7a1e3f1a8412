#include "store/database_merge.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <set>

#include <sqlite3.h>

#include "store/database_writer_lock.hpp"
#include "store/merge_source.hpp"
#include "store/result_store.hpp"
#include "store/sqlite_statement.hpp"
#include "store/store_rows.hpp"
#include "store/trial_renumbering.hpp"
#include "sweep/sweep_order.hpp"

namespace stegolab {

namespace {

// A raw connection (the merge attaches files, which ResultStore does not
// offer); closed on every path out.
class MergeConnection {
 public:
  MergeConnection(const std::filesystem::path& file, int flags, const std::string& mode)
      : file_(file) {
    const std::string uri = sqlite_file_uri(file, mode);
    if (sqlite3_open_v2(uri.c_str(), &db_, flags | SQLITE_OPEN_URI, nullptr) != SQLITE_OK) {
      const std::string detail = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      throw StoreError("cannot open results database '" + file.string() + "': " + detail);
    }
    sqlite3_busy_timeout(db_, 5000);
  }
  ~MergeConnection() { sqlite3_close(db_); }
  MergeConnection(const MergeConnection&) = delete;
  MergeConnection& operator=(const MergeConnection&) = delete;
  sqlite3* get() const { return db_; }

 private:
  std::filesystem::path file_;
  sqlite3* db_ = nullptr;
};

// The file the merge is built in, beside OUT (a rename within one folder is
// atomic). Removed, with its journal, unless it was renamed into place; a
// leftover of a merge that was killed is removed first.
class TemporaryDatabase {
 public:
  explicit TemporaryDatabase(const std::filesystem::path& output)
      : file_(output.parent_path() /
              ("." + output.filename().string() + ".merging-" + std::to_string(getpid()))) {
    remove();
  }
  ~TemporaryDatabase() { remove(); }
  TemporaryDatabase(const TemporaryDatabase&) = delete;
  TemporaryDatabase& operator=(const TemporaryDatabase&) = delete;
  const std::filesystem::path& file() const { return file_; }

 private:
  void remove() const {
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"})
      std::filesystem::remove(file_.string() + suffix, ignored);
  }
  std::filesystem::path file_;
};

int schema_version_of(sqlite3* db, const std::filesystem::path& file, const std::string& schema) {
  SqliteStatement query(db, file, "SELECT max(version) FROM \"" + schema + "\".schema_version");
  return query.step() ? static_cast<int>(query.column_int(0)) : 0;
}

// Every source is a stegolab database this program can read, at the
// present schema version (its tables are copied column by column), and none
// is the output itself.
void check_sources(const std::filesystem::path& output,
                   const std::vector<std::filesystem::path>& sources, MergeSummary& summary) {
  if (sources.empty()) throw Error("results merge: name at least one database to merge");
  for (const auto& source : sources) {
    std::error_code ec;
    if (std::filesystem::exists(output, ec) && std::filesystem::equivalent(output, source, ec)) {
      throw Error("results merge: '" + source.string() + "' is the output database itself");
    }
    const ResultStore readable(source, ResultStore::Mode::read_only);  // throws one line
    if (DatabaseWriterLock::held(source)) {
      summary.warnings.push_back("'" + source.string() +
                                 "' is being written by a run; its trials are merged as they "
                                 "are now (merge again when it has finished)");
    }
  }
}

// The output's present content (when it exists) in `temporary`, at the
// present schema version. OUT is only read, so a merge that adds nothing
// leaves it untouched; VACUUM INTO reads its write-ahead log too.
void start_from_output(const std::filesystem::path& output,
                       const std::filesystem::path& temporary) {
  std::error_code ec;
  if (std::filesystem::exists(output, ec)) {
    { const ResultStore readable(output, ResultStore::Mode::read_only); }  // ours, not newer
    MergeConnection existing(output, SQLITE_OPEN_READONLY, "mode=ro");
    SqliteStatement copy(existing.get(), output, "VACUUM INTO ?", "copying it for the merge");
    copy.bind(1, temporary.string());
    copy.run();
  }
  // Creates the schema of a new file, or migrates an older copy.
  const ResultStore created(temporary, ResultStore::Mode::read_write);
}

MergeCounts merge_one(sqlite3* db, const std::filesystem::path& temporary,
                      const std::filesystem::path& source, bool prefer_newest,
                      MergeOrigins& origins) {
  SqliteStatement attach(db, temporary, "ATTACH DATABASE ? AS source",
                         "opening '" + source.string() + "'");
  attach.bind(1, sqlite_file_uri(source, "mode=ro"));
  attach.run();
  try {
    const int version = schema_version_of(db, temporary, "source");
    if (version != ResultStore::kSchemaVersion) {
      throw Error("results merge: '" + source.string() + "' has schema version " +
                  std::to_string(version) + ", the merge needs " +
                  std::to_string(ResultStore::kSchemaVersion) +
                  " (a 'stegolab run' on it migrates it)");
    }
    WriteTransaction transaction(db, temporary, "merging '" + source.string() + "'");
    MergeCounts counts = MergeSource(db, temporary, source, origins).merge(prefer_newest);
    transaction.commit();
    sqlite_exec(db, temporary, "DETACH DATABASE source", "closing '" + source.string() + "'");
    return counts;
  } catch (...) {
    sqlite3_exec(db, "DETACH DATABASE source", nullptr, nullptr, nullptr);
    throw;
  }
}

// An experiment whose sweep has trials the merged file lacks: shards that
// have not run yet or were not named. Said, not refused: merging what is
// there is useful, and a later merge adds the rest.
void say_missing_trials(sqlite3* db, const std::filesystem::path& file, MergeSummary& summary) {
  SqliteStatement experiments(db, file, "SELECT id, name, json FROM experiments ORDER BY id");
  while (experiments.step()) {
    const std::vector<std::string> keys =
        sweep_order(parse_json_column(experiments.column_text(2)));
    std::set<std::string> present;
    SqliteStatement trials(db, file, "SELECT key FROM trials WHERE experiment_id = ?");
    trials.bind(1, experiments.column_int(0));
    while (trials.step()) present.insert(trials.column_text(0));
    size_t missing = 0;
    for (const std::string& key : keys) missing += present.count(key) == 0 ? 1 : 0;
    if (missing == 0) continue;
    summary.warnings.push_back("experiment '" + experiments.column_text(1) + "': " +
                               std::to_string(missing) + " of its " + std::to_string(keys.size()) +
                               " trials are in none of the merged files (shards not run yet, or "
                               "not named); merging them later adds them");
  }
}

// The finished file on the disk, then in OUT's place.
void replace_output(const std::filesystem::path& temporary, const std::filesystem::path& output) {
  const int fd = open(temporary.c_str(), O_RDONLY | O_CLOEXEC);
  const bool synced = fd >= 0 && fsync(fd) == 0;
  if (fd >= 0) close(fd);
  if (!synced)
    throw StoreError("results merge: cannot sync '" + temporary.string() + "' to the disk");
  std::error_code ec;
  for (const char* suffix : {"-wal", "-shm"}) std::filesystem::remove(output.string() + suffix, ec);
  std::filesystem::rename(temporary, output, ec);
  if (ec) {
    throw StoreError("results merge: cannot replace '" + output.string() + "': " + ec.message() +
                     " (it is unchanged)");
  }
  const int folder = open(std::filesystem::absolute(output).parent_path().c_str(),
                          O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (folder >= 0) {
    fsync(folder);
    close(folder);
  }
}

}  // namespace

MergeSummary merge_databases(const std::filesystem::path& output,
                             const std::vector<std::filesystem::path>& sources,
                             const MergeOptions& options) {
  MergeSummary summary;
  check_sources(output, sources, summary);
  if (output.has_parent_path()) std::filesystem::create_directories(output.parent_path());
  // Held to the end: no run writes OUT while it is being replaced.
  DatabaseWriterLock lock(output);
  const TemporaryDatabase temporary(output);
  start_from_output(output, temporary.file());
  MergeOrigins origins;
  {
    MergeConnection db(temporary.file(), SQLITE_OPEN_READWRITE, "mode=rw");
    sqlite_exec(db.get(), temporary.file(), "PRAGMA foreign_keys = ON", "configuring the merge");
    {
      SqliteStatement known(db.get(), temporary.file(), "SELECT id FROM experiments");
      while (known.step()) origins.experiments[known.column_int(0)] = output.string();
      SqliteStatement trials(db.get(), temporary.file(), "SELECT id FROM trials");
      while (trials.step()) origins.trials[trials.column_int(0)] = output.string();
    }
    for (const auto& source : sources) {
      const MergeCounts counts =
          merge_one(db.get(), temporary.file(), source, options.prefer_newest, origins);
      summary.added += counts.added;
      summary.replaced += counts.replaced;
      summary.kept += counts.kept;
      ++summary.sources;
    }
    const bool renumbered = number_trials_in_sweep_order(db.get(), temporary.file());
    say_missing_trials(db.get(), temporary.file(), summary);
    summary.written =
        summary.added + summary.replaced > 0 || renumbered || !std::filesystem::exists(output);
    // One self-contained file (no -wal beside it) to rename into place.
    SqliteStatement journal(db.get(), temporary.file(), "PRAGMA journal_mode = DELETE");
    journal.step();
  }
  if (summary.written) replace_output(temporary.file(), output);
  return summary;
}

}  // namespace stegolab
