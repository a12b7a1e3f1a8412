#include "store/sqlite_statement.hpp"

#include <cmath>
#include <limits>

#include <sqlite3.h>

#include "store/result_store.hpp"

namespace stegolab {

void throw_sqlite_error(sqlite3* db, int rc, const std::filesystem::path& file,
                        const std::string& what) {
  const std::string name = "results database '" + file.string() + "'";
  const std::string detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      throw StoreError(name + " is locked by another process (waited 5 s while " + what +
                       "); is another 'stegolab run' writing to it?");
    case SQLITE_FULL:
      // Every write is one transaction, so a failed one leaves nothing half-written.
      throw StoreError("disk full while " + what + " in " + name +
                       " (or it reached its size limit): that write was rolled back and the "
                       "database holds everything before it; free some space and run again "
                       "to resume");
    case SQLITE_READONLY:
      throw StoreError(name + " cannot be written (" + what +
                       "): the file or its folder is read-only");
    case SQLITE_NOTADB:
      throw StoreError("'" + file.string() + "' is not a SQLite database (" + what + ")");
    case SQLITE_CORRUPT:
      throw StoreError(name + " is corrupt (" + what + "): " + detail);
    case SQLITE_CANTOPEN:
      throw StoreError("cannot open " + name + " (" + what + "): " + detail);
    case SQLITE_IOERR:
      throw StoreError("I/O error while " + what + " in " + name + ": " + detail);
    default:
      throw StoreError(name + ": " + what + " failed: " + detail);
  }
}

void sqlite_exec(sqlite3* db, const std::filesystem::path& file, const std::string& sql,
                 const std::string& what) {
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) throw_sqlite_error(db, rc, file, what);
}

SqliteStatement::SqliteStatement(sqlite3* db, const std::filesystem::path& file,
                                 const std::string& sql, std::string what)
    : db_(db), file_(file), sql_(sql), what_(std::move(what)) {
  const int rc = sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement_, nullptr);
  if (rc != SQLITE_OK) {
    throw_sqlite_error(db_, rc, file_, what_.empty() ? "preparing a query" : what_);
  }
}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(statement_); }

SqliteStatement& SqliteStatement::check_bind(int rc, int index) {
  // An unchecked failure would leave the parameter NULL and write a row
  // that silently lacks a value.
  if (rc == SQLITE_OK) return *this;
  // sqlite3_errmsg() is not set by a failed bind; sqlite3_errstr() names the code.
  throw StoreError("results database '" + file_.string() +
                   "': " + (what_.empty() ? std::string() : what_ + ": ") + "binding parameter " +
                   std::to_string(index) + " of \"" + sql_.substr(0, 60) +
                   (sql_.size() > 60 ? "..." : "") + "\" failed: " + sqlite3_errstr(rc));
}

SqliteStatement& SqliteStatement::bind(int index, int64_t value) {
  return check_bind(sqlite3_bind_int64(statement_, index, value), index);
}

SqliteStatement& SqliteStatement::bind(int index, double value) {
  // SQLite would store NaN as NULL anyway; doing it here makes it explicit.
  if (std::isnan(value)) return bind_null(index);
  return check_bind(sqlite3_bind_double(statement_, index, value), index);
}

SqliteStatement& SqliteStatement::bind(int index, const std::string& value) {
  if (value.size() > static_cast<size_t>(std::numeric_limits<int>::max())) {
    return check_bind(SQLITE_TOOBIG, index);
  }
  return check_bind(sqlite3_bind_text(statement_, index, value.data(),
                                      static_cast<int>(value.size()), SQLITE_TRANSIENT),
                    index);
}

SqliteStatement& SqliteStatement::bind_null(int index) {
  return check_bind(sqlite3_bind_null(statement_, index), index);
}

bool SqliteStatement::step() {
  const int rc = sqlite3_step(statement_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  const std::string verb = !what_.empty()                      ? what_
                           : sqlite3_stmt_readonly(statement_) ? "reading"
                                                               : "writing";
  sqlite3_reset(statement_);
  throw_sqlite_error(db_, rc, file_, verb);
}

void SqliteStatement::run() {
  while (step()) {
  }
  reset();
}

void SqliteStatement::reset() {
  sqlite3_reset(statement_);
  sqlite3_clear_bindings(statement_);
}

bool SqliteStatement::is_null(int column) const {
  return sqlite3_column_type(statement_, column) == SQLITE_NULL;
}

int64_t SqliteStatement::column_int(int column) const {
  return sqlite3_column_int64(statement_, column);
}

double SqliteStatement::column_double(int column) const {
  if (is_null(column)) return NAN;
  return sqlite3_column_double(statement_, column);
}

std::string SqliteStatement::column_text(int column) const {
  const auto* text = sqlite3_column_text(statement_, column);
  if (text == nullptr) return "";
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<size_t>(sqlite3_column_bytes(statement_, column)));
}

}  // namespace stegolab
