#include "store/merge_source.hpp"

#include <vector>

#include <sqlite3.h>

#include "spec/experiment_identity.hpp"
#include "store/result_store.hpp"
#include "store/sqlite_statement.hpp"
#include "store/store_rows.hpp"
#include "store/trial_merge_choice.hpp"

namespace stegolab {

namespace {

struct MergeExperimentRow {
  int64_t id = 0;
  std::string name;
  nlohmann::json document;
};

std::vector<MergeExperimentRow> merge_experiments_in(sqlite3* db, const std::filesystem::path& file,
                                                     const std::string& schema) {
  SqliteStatement query(db, file,
                        "SELECT id, name, json FROM \"" + schema + "\".experiments ORDER BY id",
                        "reading the experiments");
  std::vector<MergeExperimentRow> experiments;
  while (query.step()) {
    experiments.push_back(
        {query.column_int(0), query.column_text(1), parse_json_column(query.column_text(2))});
  }
  return experiments;
}

// One copy of a trial as the choice needs it, with its row id.
struct MergeTrialRow {
  int64_t id = 0;
  std::string key;
  TrialCopy copy;
  std::string error;
};

MergeTrialRow read_merge_trial(SqliteStatement& query) {
  MergeTrialRow row;
  row.id = query.column_int(0);
  row.key = query.column_text(1);
  row.copy.status = parse_trial_status(query.column_text(2)).value_or(TrialStatus::pending);
  row.copy.last_epoch = query.column_int(3);
  row.copy.ended_at = query.column_text(4);
  row.error = query.column_text(5);
  return row;
}

const char* const kTrialCopyColumns = "id, key, status, last_epoch, COALESCE(ended_at, ''), error";

// `path` (relative to `from`) as seen from `to`; absolute paths stay.
std::string rebased_path(const std::string& path, const std::filesystem::path& from,
                         const std::filesystem::path& to) {
  const std::filesystem::path stored(path);
  if (path.empty() || stored.is_absolute()) return path;
  const std::filesystem::path target = (from / stored).lexically_normal();
  const std::filesystem::path relative = target.lexically_relative(to);
  return relative.empty() ? target.string() : relative.string();
}

}  // namespace

MergeSource::MergeSource(sqlite3* db, const std::filesystem::path& output,
                         const std::filesystem::path& source, MergeOrigins& origins)
    : db_(db),
      output_(output),
      source_(source),
      origins_(origins),
      tables_(merge_tables(db, output, "source")) {}

MergeCounts MergeSource::merge(bool prefer_newest) {
  MergeCounts counts;
  const std::map<int64_t, int64_t> experiments = match_experiments();
  std::vector<std::pair<int64_t, int64_t>> trials;  // source trial id, output experiment id
  {
    SqliteStatement query(db_, output_, "SELECT id, experiment_id FROM source.trials ORDER BY id",
                          "reading the trials of '" + source_.string() + "'");
    while (query.step())
      trials.emplace_back(query.column_int(0), experiments.at(query.column_int(1)));
  }
  for (const auto& [trial, experiment] : trials)
    merge_trial(trial, experiment, prefer_newest, counts);
  copy_shared_tables();
  return counts;
}

std::map<int64_t, int64_t> MergeSource::match_experiments() {
  std::vector<MergeExperimentRow> known = merge_experiments_in(db_, output_, "main");
  std::map<int64_t, int64_t> matched;
  for (const MergeExperimentRow& incoming : merge_experiments_in(db_, output_, "source")) {
    const MergeExperimentRow* same_name = nullptr;
    for (const MergeExperimentRow& stored : known) {
      if (stored.name != incoming.name) continue;
      same_name = &stored;
      if (experiment_identity(stored.document) == experiment_identity(incoming.document)) {
        matched[incoming.id] = stored.id;
        break;
      }
    }
    if (matched.count(incoming.id)) continue;
    if (same_name) {
      throw Error("results merge: '" + source_.string() + "' holds experiment '" + incoming.name +
                  "' with another definition than '" + origins_.experiments[same_name->id] +
                  "' (changed: " + identity_changes(same_name->document, incoming.document) +
                  "); shards of one sweep must come from the same experiment file");
    }
    SqliteStatement insert(db_, output_,
                           "INSERT INTO main.experiments (name, json, hash, created) "
                           "SELECT name, json, hash, created FROM source.experiments WHERE id = ?",
                           "adding experiment '" + incoming.name + "'");
    insert.bind(1, incoming.id);
    insert.run();
    const int64_t id = sqlite3_last_insert_rowid(db_);
    matched[incoming.id] = id;
    origins_.experiments[id] = source_.string();
    known.push_back({id, incoming.name, incoming.document});
  }
  return matched;
}

void MergeSource::merge_trial(int64_t source_id, int64_t experiment_id, bool prefer_newest,
                              MergeCounts& counts) {
  SqliteStatement incoming_query(
      db_, output_,
      std::string("SELECT ") + kTrialCopyColumns + " FROM source.trials WHERE id = ?");
  incoming_query.bind(1, source_id);
  incoming_query.step();
  const MergeTrialRow incoming = read_merge_trial(incoming_query);
  SqliteStatement existing_query(db_, output_,
                                 std::string("SELECT ") + kTrialCopyColumns +
                                     " FROM main.trials WHERE experiment_id = ? AND key = ?");
  existing_query.bind(1, experiment_id).bind(2, incoming.key);
  if (!existing_query.step()) {
    copy_trial(source_id, experiment_id, incoming.copy.last_epoch);
    ++counts.added;
    return;
  }
  const MergeTrialRow existing = read_merge_trial(existing_query);
  const bool equal = existing.copy.status == incoming.copy.status &&
                     existing.error == incoming.error && results_equal(existing.id, source_id);
  switch (choose_trial_copy(existing.copy, incoming.copy, equal, prefer_newest)) {
    case TrialChoice::keep:
      ++counts.kept;
      return;
    case TrialChoice::conflict:
      throw Error("results merge: trial '" + incoming.key + "' is in '" + source_.string() +
                  "' and in '" + origins_.trials[existing.id] +
                  "' with different results; pass --prefer newest to keep the one that ended "
                  "last");
    case TrialChoice::replace:
      for (const MergeTable& table : tables_.per_trial) {
        SqliteStatement remove(db_, output_,
                               "DELETE FROM main.\"" + table.name + "\" WHERE trial_id = ?");
        remove.bind(1, existing.id);
        remove.run();
      }
      SqliteStatement remove(db_, output_, "DELETE FROM main.trials WHERE id = ?");
      remove.bind(1, existing.id);
      remove.run();
      copy_trial(source_id, experiment_id, incoming.copy.last_epoch);
      ++counts.replaced;
  }
}

// Equal epoch and final rows (values compared exactly; NaN rows are NULL
// with is_nan 1, which set operations treat as equal).
bool MergeSource::results_equal(int64_t output_id, int64_t source_id) const {
  const std::string epoch = "SELECT epoch, split, metric, value, is_nan FROM ";
  const std::string final = "SELECT split, metric, value, is_nan FROM ";
  const std::string sql =
      "SELECT count(*) FROM (" + epoch + "main.epoch_metrics WHERE trial_id = ?1 EXCEPT " + epoch +
      "source.epoch_metrics WHERE trial_id = ?2) UNION ALL SELECT count(*) FROM (" + epoch +
      "source.epoch_metrics WHERE trial_id = ?2 EXCEPT " + epoch +
      "main.epoch_metrics WHERE trial_id = ?1) UNION ALL SELECT count(*) FROM (" + final +
      "main.final_metrics WHERE trial_id = ?1 EXCEPT " + final +
      "source.final_metrics WHERE trial_id = ?2) UNION ALL SELECT count(*) FROM (" + final +
      "source.final_metrics WHERE trial_id = ?2 EXCEPT " + final +
      "main.final_metrics WHERE trial_id = ?1)";
  SqliteStatement query(db_, output_, sql, "comparing the results of a trial");
  query.bind(1, output_id).bind(2, source_id);
  while (query.step()) {
    if (query.column_int(0) != 0) return false;
  }
  return true;
}

void MergeSource::copy_trial(int64_t source_id, int64_t experiment_id, int64_t last_epoch) {
  const std::string columns = column_list(tables_.trials.columns);
  SqliteStatement insert(db_, output_,
                         "INSERT INTO main.trials (experiment_id, " + columns + ") SELECT ?1, " +
                             columns + " FROM source.trials WHERE id = ?2",
                         "copying a trial from '" + source_.string() + "'");
  insert.bind(1, experiment_id).bind(2, source_id);
  insert.run();
  const int64_t trial_id = sqlite3_last_insert_rowid(db_);
  for (const MergeTable& table : tables_.per_trial) {
    const std::string listed = column_list(table.columns);
    SqliteStatement rows(db_, output_,
                         "INSERT INTO main.\"" + table.name + "\" (trial_id" +
                             (listed.empty() ? "" : ", " + listed) + ") SELECT ?1" +
                             (listed.empty() ? "" : ", " + listed) + " FROM source.\"" +
                             table.name + "\" WHERE trial_id = ?2",
                         "copying the " + table.name + " rows of a trial");
    rows.bind(1, trial_id).bind(2, source_id);
    rows.run();
    if (!table.relative_paths.empty()) rewrite_paths(table, trial_id);
  }
  // Which file the trial came from; the shard and host of each attempt are
  // in its "shard" events, copied with the others.
  SqliteStatement event(db_, output_,
                        std::string("INSERT INTO main.events (trial_id, epoch, kind, message, at) "
                                    "VALUES (?, ?, 'merged', ?, ") +
                            kSqlNow + ")");
  event.bind(1, trial_id).bind(2, last_epoch);
  event.bind(3, "merged from '" + source_.string() + "' by stegolab results merge");
  event.run();
  origins_.trials[trial_id] = source_.string();
}

void MergeSource::rewrite_paths(const MergeTable& table, int64_t trial_id) {
  const std::filesystem::path from = std::filesystem::absolute(source_).parent_path();
  const std::filesystem::path to = std::filesystem::absolute(output_).parent_path();
  if (from.lexically_normal() == to.lexically_normal()) return;
  for (const std::string& column : table.relative_paths) {
    std::vector<std::string> paths;
    {
      SqliteStatement query(
          db_, output_,
          "SELECT DISTINCT \"" + column + "\" FROM main.\"" + table.name + "\" WHERE trial_id = ?");
      query.bind(1, trial_id);
      while (query.step()) paths.push_back(query.column_text(0));
    }
    SqliteStatement update(db_, output_,
                           "UPDATE main.\"" + table.name + "\" SET \"" + column +
                               "\" = ?1 WHERE trial_id = ?2 AND \"" + column + "\" = ?3",
                           "rewriting the paths of " + table.name);
    for (const std::string& path : paths) {
      update.bind(1, rebased_path(path, from, to)).bind(2, trial_id).bind(3, path);
      update.run();
    }
  }
}

// Tables keyed by something other than a trial (metric_conventions): the
// output keeps the rows it has, the source adds the others.
void MergeSource::copy_shared_tables() {
  for (const MergeTable& table : tables_.shared) {
    if (table.columns.empty()) continue;
    const std::string columns = column_list(table.columns);
    sqlite_exec(db_, output_,
                "INSERT INTO main.\"" + table.name + "\" (" + columns + ") SELECT " + columns +
                    " FROM source.\"" + table.name + "\" WHERE true ON CONFLICT DO NOTHING",
                "copying " + table.name + " from '" + source_.string() + "'");
  }
}

}  // namespace stegolab
