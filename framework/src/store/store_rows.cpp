#include "store/store_rows.hpp"

#include <cstdio>

#include <sqlite3.h>

#include "store/result_store.hpp"

namespace stegolab {

const char* const kSqlNow = "strftime('%Y-%m-%dT%H:%M:%fZ','now')";

const char* const kTrialColumns =
    "id, experiment_id, key, status, error, last_epoch, checkpoint_dir, config, sweep_point, "
    "repeat, seed, device, torch_version, git_revision, host, plugins, "
    "COALESCE(started_at,''), COALESCE(ended_at,'')";

nlohmann::json parse_json_column(const std::string& text) {
  if (text.empty()) return nlohmann::json::object();
  return nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
}

std::string json_column(const nlohmann::json& value) {
  return value.is_null() ? std::string("{}") : value.dump();
}

std::string sqlite_file_uri(const std::filesystem::path& file, const std::string& query) {
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

void bind_convention_columns(SqliteStatement& statement, int first,
                             const MetricDeclaration& convention) {
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

void insert_metric_row(SqliteStatement& insert, int64_t trial_id, const MetricRow& row) {
  insert.bind(1, trial_id).bind(2, std::string(split_name(row.split))).bind(3, row.metric);
  insert.bind(4, row.value);
  insert.bind(5, static_cast<int64_t>(std::isnan(row.value) ? 1 : 0));
  insert.run();
}

MetricRow read_metric_row(const SqliteStatement& query, int64_t epoch, int first_column,
                          const std::filesystem::path& file) {
  MetricRow row;
  row.epoch = epoch;
  const std::string split = query.column_text(first_column);
  const std::optional<Split> parsed = parse_split(split);
  // The schema's CHECK admits only the three; a file edited by hand may not.
  if (!parsed) {
    throw StoreError("results database '" + file.string() + "': metric split '" + split +
                     "' is not one of train, val, test");
  }
  row.split = *parsed;
  row.metric = query.column_text(first_column + 1);
  row.value = query.column_double(first_column + 2);  // NULL (is_nan) reads as NaN
  return row;
}

TrialRecord read_trial_row(const SqliteStatement& query, const std::filesystem::path& file) {
  TrialRecord trial;
  trial.id = query.column_int(0);
  trial.experiment_id = query.column_int(1);
  trial.key = query.column_text(2);
  const std::string status = query.column_text(3);
  const std::optional<TrialStatus> parsed = parse_trial_status(status);
  if (!parsed) {
    throw StoreError("results database '" + file.string() + "': trial '" + trial.key +
                     "' has an unknown status '" + status + "'");
  }
  trial.status = *parsed;
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
  trial.kind = query.column_text(18);
  return trial;
}

WriteTransaction::WriteTransaction(sqlite3* db, const std::filesystem::path& file,
                                   std::string what)
    : db_(db), file_(file), what_(std::move(what)) {
  sqlite_exec(db_, file_, "BEGIN IMMEDIATE", what_);
}

WriteTransaction::~WriteTransaction() {
  if (!committed_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

void WriteTransaction::commit() {
  sqlite_exec(db_, file_, "COMMIT", what_);
  committed_ = true;
}

}  // namespace stegolab
