#include "store/trial_renumbering.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "store/result_store.hpp"
#include "store/sqlite_statement.hpp"
#include "store/store_rows.hpp"
#include "sweep/sweep_order.hpp"

namespace stegolab {

namespace {

// The trial ids in the order they should have.
std::vector<int64_t> ids_in_sweep_order(sqlite3* db, const std::filesystem::path& file) {
  std::vector<int64_t> ordered;
  SqliteStatement experiments(db, file, "SELECT id, json FROM experiments ORDER BY id");
  while (experiments.step()) {
    std::map<std::string, size_t> position;
    const std::vector<std::string> keys =
        sweep_order(parse_json_column(experiments.column_text(1)));
    for (size_t i = 0; i < keys.size(); ++i) position.emplace(keys[i], i);
    struct Placed {
      size_t position;
      int64_t id;
    };
    std::vector<Placed> trials;
    SqliteStatement query(db, file,
                          "SELECT id, key FROM trials WHERE experiment_id = ? ORDER BY id");
    query.bind(1, experiments.column_int(0));
    while (query.step()) {
      const auto found = position.find(query.column_text(1));
      trials.push_back(
          {found == position.end() ? std::numeric_limits<size_t>::max() : found->second,
           query.column_int(0)});
    }
    std::stable_sort(trials.begin(), trials.end(),
                     [](const Placed& a, const Placed& b) { return a.position < b.position; });
    for (const Placed& trial : trials) ordered.push_back(trial.id);
  }
  return ordered;
}

std::vector<std::string> tables_with_trial_id(sqlite3* db, const std::filesystem::path& file) {
  SqliteStatement query(db, file,
                        "SELECT m.name FROM sqlite_master m WHERE m.type = 'table' AND EXISTS "
                        "(SELECT 1 FROM pragma_table_info(m.name) WHERE name = 'trial_id')");
  std::vector<std::string> tables;
  while (query.step()) tables.push_back(query.column_text(0));
  return tables;
}

// Moves every id through its negative, so that no intermediate state has
// two rows with one id.
void apply_numbering(sqlite3* db, const std::filesystem::path& file,
                     const std::vector<int64_t>& ordered) {
  const std::string what = "numbering the merged trials in sweep order";
  sqlite_exec(db, file,
              "CREATE TEMP TABLE IF NOT EXISTS trial_numbering "
              "(old INTEGER PRIMARY KEY, new INTEGER NOT NULL); DELETE FROM trial_numbering",
              what);
  SqliteStatement insert(db, file, "INSERT INTO trial_numbering (old, new) VALUES (?, ?)", what);
  for (size_t i = 0; i < ordered.size(); ++i) {
    insert.bind(1, ordered[i]).bind(2, static_cast<int64_t>(i + 1));
    insert.run();
  }
  for (const std::string& table : tables_with_trial_id(db, file)) {
    const std::string name = "main.\"" + table + "\"";
    sqlite_exec(db, file,
                "UPDATE " + name +
                    " SET trial_id = -(SELECT new FROM trial_numbering WHERE old = trial_id); "
                    "UPDATE " +
                    name + " SET trial_id = -trial_id",
                what);
  }
  sqlite_exec(db, file,
              "UPDATE main.trials SET id = -(SELECT new FROM trial_numbering WHERE old = id); "
              "UPDATE main.trials SET id = -id; DROP TABLE trial_numbering",
              what);
}

}  // namespace

bool number_trials_in_sweep_order(sqlite3* db, const std::filesystem::path& file) {
  const std::vector<int64_t> ordered = ids_in_sweep_order(db, file);
  bool in_order = true;
  for (size_t i = 0; i < ordered.size(); ++i) in_order = in_order && ordered[i] == int64_t(i + 1);
  if (in_order) return false;
  // Foreign keys are checked per statement; the ids pass through states in
  // which the references do not hold yet. The switch only works outside a
  // transaction.
  sqlite_exec(db, file, "PRAGMA foreign_keys = OFF", "numbering the merged trials");
  {
    WriteTransaction transaction(db, file, "numbering the merged trials in sweep order");
    apply_numbering(db, file, ordered);
    transaction.commit();
  }
  sqlite_exec(db, file, "PRAGMA foreign_keys = ON", "numbering the merged trials");
  SqliteStatement check(db, file, "PRAGMA foreign_key_check", "checking the merged trials");
  if (check.step()) {
    throw StoreError("results database '" + file.string() + "': internal: a row of table " +
                     check.column_text(0) +
                     " lost its trial while the merged trials were numbered");
  }
  return true;
}

}  // namespace stegolab
