// The store's reading half, for results, report and plot.
#include "store/result_store.hpp"
#include "store/store_rows.hpp"

namespace stegolab {

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
        const std::optional<TrialStatus> status = parse_trial_status(counts.column_text(1));
        if (status) record.status_counts[*status] = counts.column_int(2);
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
      select_trials() + " WHERE experiment_id = ? ORDER BY id");
  query.bind(1, experiment_id);
  std::vector<TrialRecord> result;
  while (query.step()) result.push_back(read_trial_row(query, file_));
  return result;
}

TrialRecord ResultStore::trial(int64_t trial_id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  SqliteStatement query(db_, file_,
                        select_trials() + " WHERE id = ?");
  query.bind(1, trial_id);
  if (!query.step()) {
    throw StoreError("results database '" + file_.string() + "' has no trial with id " +
                     std::to_string(trial_id));
  }
  return read_trial_row(query, file_);
}

std::vector<MetricRow> ResultStore::epoch_metrics(int64_t trial_id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  SqliteStatement query(db_, file_,
                        "SELECT epoch, split, metric, value FROM epoch_metrics WHERE trial_id = ? "
                        "ORDER BY epoch, CASE split WHEN 'train' THEN 0 WHEN 'val' THEN 1 "
                        "ELSE 2 END, metric");
  query.bind(1, trial_id);
  std::vector<MetricRow> rows;
  while (query.step()) rows.push_back(read_metric_row(query, query.column_int(0), 1, file_));
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
  while (query.step()) rows.push_back(read_metric_row(query, query.column_int(3), 0, file_));
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

std::vector<MetricDeclaration> ResultStore::conventions() const {
  std::lock_guard<std::mutex> lock(mutex_);
  SqliteStatement query(db_, file_,
                        "SELECT metric, description, unit, better FROM metric_conventions "
                        "ORDER BY metric");
  std::vector<MetricDeclaration> result;
  while (query.step()) {
    result.push_back(
        {query.column_text(0), query.column_text(1), query.column_text(2), query.column_text(3)});
  }
  return result;
}

}  // namespace stegolab
