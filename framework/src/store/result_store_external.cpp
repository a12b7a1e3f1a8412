// Trials that no run here trained: another method's output files measured
// by a command, recorded beside the trained trials so that one table holds
// both.
#include <sqlite3.h>

#include "spec/experiment_identity.hpp"
#include "store/result_store.hpp"
#include "store/store_rows.hpp"

namespace stegolab {

int64_t ResultStore::experiment_for_external(const std::string& experiment) {
  SqliteStatement find(db_, file_,
                       "SELECT id FROM experiments WHERE name = ? ORDER BY id DESC LIMIT 1");
  find.bind(1, experiment);
  if (find.step()) return find.column_int(0);
  // No definition to run: a stub that says where its trials come from. A
  // later `stegolab run` of a file with this name sees a changed definition
  // and asks for --force-new, rather than mixing the two silently.
  const nlohmann::json stub = {
      {"name", experiment},
      {"description", "trials measured from other methods' output files, not trained here"}};
  SqliteStatement insert(db_, file_,
                         std::string("INSERT INTO experiments (name, json, hash, created) "
                                     "VALUES (?, ?, ?, ") +
                             kSqlNow + ")");
  insert.bind(1, experiment).bind(2, stub.dump()).bind(3, experiment_hash(stub));
  insert.run();
  return sqlite3_last_insert_rowid(db_);
}

ExternalTrialRow ResultStore::record_external_trial(const std::string& experiment,
                                                    const std::string& name,
                                                    const std::string& kind,
                                                    const nlohmann::json& config) {
  if (name.empty() || kind.empty() || kind == "trained") {
    throw StoreError(this->name() +
                     ": an external trial needs a name and a kind other than "
                     "'trained'");
  }
  std::lock_guard<std::mutex> lock(mutex_);
  const std::string what = "recording trial '" + name + "' (" + kind + ")";
  WriteTransaction transaction(db_, file_, what);
  ExternalTrialRow row;
  row.experiment_id = experiment_for_external(experiment);
  SqliteStatement find(db_, file_, select_trials() + " WHERE experiment_id = ? AND key = ?", what);
  find.bind(1, row.experiment_id).bind(2, name);
  std::optional<TrialRecord> earlier;
  if (find.step()) earlier = read_trial_row(find, file_);
  if (earlier && earlier->kind == "trained") {
    throw StoreError(this->name() + ": experiment '" + experiment + "' has a trained trial '" +
                     name + "' (id " + std::to_string(earlier->id) +
                     "); give the other method another name");
  }
  row.created = !earlier;
  if (earlier) {
    row.id = earlier->id;
    row.metrics_cleared = earlier->config != config;
    SqliteStatement update(db_, file_,
                           std::string("UPDATE trials SET status = 'done', error = '', kind = ?, "
                                       "config = ?, ended_at = ") +
                               kSqlNow + " WHERE id = ?",
                           what);
    update.bind(1, kind).bind(2, json_column(config)).bind(3, row.id);
    update.run();
  } else {
    SqliteStatement insert(db_, file_,
                           std::string("INSERT INTO trials (experiment_id, key, status, kind, "
                                       "config, started_at, ended_at) VALUES (?, ?, 'done', ?, "
                                       "?, ") +
                               kSqlNow + ", " + kSqlNow + ")",
                           what);
    insert.bind(1, row.experiment_id).bind(2, name).bind(3, kind).bind(4, json_column(config));
    insert.run();
    row.id = sqlite3_last_insert_rowid(db_);
  }
  if (row.metrics_cleared) {
    // Other files now: numbers of the old ones must not stand beside them.
    for (const char* table : {"epoch_metrics", "final_metrics", "throughput"}) {
      SqliteStatement clear(db_, file_, std::string("DELETE FROM ") + table + " WHERE trial_id = ?",
                            what);
      clear.bind(1, row.id);
      clear.run();
    }
    SqliteStatement event(db_, file_,
                          std::string("INSERT INTO events (trial_id, epoch, kind, message, at) "
                                      "VALUES (?, -1, 'restart', 'measured again from other "
                                      "files; the earlier metrics were deleted', ") +
                              kSqlNow + ")",
                          what);
    event.bind(1, row.id);
    event.run();
  }
  transaction.commit();
  return row;
}

}  // namespace stegolab
