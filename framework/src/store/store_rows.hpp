// How the store's records map to SQL rows and statements: the pieces the
// store's writing and reading halves share.
#pragma once

#include <filesystem>
#include <string>

#include "store/result_records.hpp"
#include "store/sqlite_statement.hpp"
#include "stegolab/metric_declaration.hpp"

struct sqlite3;

namespace stegolab {

// The current UTC time as SQLite writes it (ISO 8601 with milliseconds).
extern const char* const kSqlNow;
// The columns read_trial_row() reads, in its order, but its last: the
// trial's kind (the column or, in files before version 4, 'trained').
extern const char* const kTrialColumns;

// "{}" for an empty column; a discarded (null) value for malformed text.
nlohmann::json parse_json_column(const std::string& text);
std::string json_column(const nlohmann::json& value);  // null writes "{}"

// file: URI for sqlite3_open_v2 with SQLITE_OPEN_URI (percent-encodes what a URI reserves).
std::string sqlite_file_uri(const std::filesystem::path& file, const std::string& query);

// The typed columns of a metric convention (range, colour space, quantised),
// bound from parameter `first` on.
void bind_convention_columns(SqliteStatement& statement, int first,
                             const MetricDeclaration& convention);

// Binds (trial_id, split, metric, value, is_nan) as parameters 1-5 and runs.
void insert_metric_row(SqliteStatement& insert, int64_t trial_id, const MetricRow& row);
// split, metric, value from `first_column` on.
MetricRow read_metric_row(const SqliteStatement& query, int64_t epoch, int first_column,
                          const std::filesystem::path& file);
TrialRecord read_trial_row(const SqliteStatement& query, const std::filesystem::path& file);

// BEGIN IMMEDIATE takes the write lock up front (waiting up to the busy
// timeout), so a transaction never fails half-way on a lock upgrade.
class WriteTransaction {
 public:
  WriteTransaction(sqlite3* db, const std::filesystem::path& file, std::string what);
  ~WriteTransaction();
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;
  void commit();

 private:
  sqlite3* db_;
  const std::filesystem::path& file_;
  std::string what_;
  bool committed_ = false;
};

}  // namespace stegolab
