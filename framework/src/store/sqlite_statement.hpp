// SqliteStatement: one prepared SQLite statement with checked calls. Every
// failure becomes a StoreError that names the database file and says what was
// being done, with plain words for the cases a user can fix (locked, full
// disk, read-only, not a database).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

struct sqlite3;
struct sqlite3_stmt;

namespace stegolab {

// Throws StoreError for SQLite result code `rc` while doing `what` on `file`.
[[noreturn]] void throw_sqlite_error(sqlite3* db, int rc, const std::filesystem::path& file,
                                     const std::string& what);

// Runs SQL without results (several statements allowed); throws on failure.
void sqlite_exec(sqlite3* db, const std::filesystem::path& file, const std::string& sql,
                 const std::string& what);

class SqliteStatement {
 public:
  // `what` says, in errors, what the statement was for ("recording epoch 3");
  // without it they say "reading" or "writing".
  SqliteStatement(sqlite3* db, const std::filesystem::path& file, const std::string& sql,
                  std::string what = "");
  ~SqliteStatement();
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  // Parameters are 1-based, as in SQLite. A NaN double binds NULL. A bad
  // index or a value SQLite cannot take throws StoreError rather than
  // leaving the parameter NULL.
  SqliteStatement& bind(int index, int64_t value);
  SqliteStatement& bind(int index, double value);
  SqliteStatement& bind(int index, const std::string& value);
  SqliteStatement& bind_null(int index);

  // true while a row is available; false when done.
  bool step();
  // Runs a statement that returns no rows, then resets it for reuse.
  void run();
  void reset();

  bool is_null(int column) const;
  int64_t column_int(int column) const;
  double column_double(int column) const;     // NULL reads as NaN
  std::string column_text(int column) const;  // NULL reads as ""

 private:
  sqlite3* db_;
  std::filesystem::path file_;
  SqliteStatement& check_bind(int rc, int index);
  std::string sql_;
  std::string what_;
  sqlite3_stmt* statement_ = nullptr;
};

}  // namespace stegolab
