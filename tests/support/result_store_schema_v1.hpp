// The results database schema version 1, exactly as the first release
// created it: a frozen fixture, so that the migration to later versions is
// tested on the real thing. Never edit it to follow the current schema.
#pragma once

namespace stegolab::test {

inline const char* const kResultStoreSchemaV1 = R"SQL(
CREATE TABLE schema_version (version INTEGER NOT NULL);
CREATE TABLE experiments (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  json TEXT NOT NULL CHECK (json_valid(json)),
  hash TEXT NOT NULL,
  created TEXT NOT NULL
);
CREATE INDEX experiments_by_name ON experiments(name, hash);
CREATE TABLE trials (
  id INTEGER PRIMARY KEY,
  experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending','running','done','failed','interrupted')),
  error TEXT NOT NULL DEFAULT '',
  seed INTEGER NOT NULL DEFAULT 0,
  repeat INTEGER NOT NULL DEFAULT 0,
  device TEXT NOT NULL DEFAULT '',
  torch_version TEXT NOT NULL DEFAULT '',
  git_revision TEXT NOT NULL DEFAULT '',
  host TEXT NOT NULL DEFAULT '',
  plugins TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(plugins)),
  config TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(config)),
  sweep_point TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(sweep_point)),
  checkpoint_dir TEXT NOT NULL DEFAULT '',
  last_epoch INTEGER NOT NULL DEFAULT -1,
  started_at TEXT,
  ended_at TEXT,
  UNIQUE (experiment_id, key)
);
CREATE INDEX trials_by_status ON trials(experiment_id, status);
CREATE TABLE epoch_metrics (
  trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
  epoch INTEGER NOT NULL,
  split TEXT NOT NULL CHECK (split IN ('train','val','test')),
  metric TEXT NOT NULL,
  value REAL,
  is_nan INTEGER NOT NULL DEFAULT 0 CHECK (is_nan IN (0,1) AND (is_nan = 1) = (value IS NULL)),
  PRIMARY KEY (trial_id, epoch, split, metric)
);
CREATE INDEX epoch_metrics_by_metric ON epoch_metrics(metric, split, trial_id, epoch);
CREATE TABLE final_metrics (
  trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
  split TEXT NOT NULL CHECK (split IN ('train','val','test')),
  metric TEXT NOT NULL,
  value REAL,
  is_nan INTEGER NOT NULL DEFAULT 0 CHECK (is_nan IN (0,1) AND (is_nan = 1) = (value IS NULL)),
  PRIMARY KEY (trial_id, split, metric)
);
CREATE INDEX final_metrics_by_metric ON final_metrics(metric, split);
CREATE TABLE throughput (
  trial_id INTEGER PRIMARY KEY REFERENCES trials(id) ON DELETE CASCADE,
  train_images_per_s REAL,
  eval_images_per_s REAL,
  step_time_ms REAL,
  data_wait_ms REAL,
  peak_memory_mb REAL,
  effective_batch INTEGER NOT NULL DEFAULT 0,
  extra TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(extra))
);
CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
  epoch INTEGER NOT NULL,
  kind TEXT NOT NULL,
  message TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX events_by_trial ON events(trial_id, id);
CREATE TABLE metric_conventions (
  metric TEXT PRIMARY KEY,
  description TEXT NOT NULL DEFAULT '',
  unit TEXT NOT NULL DEFAULT '',
  better TEXT NOT NULL DEFAULT '' CHECK (better IN ('higher','lower',''))
);
CREATE VIEW trial_summary AS
  SELECT t.id AS trial_id, e.id AS experiment_id, e.name AS experiment, t.key, t.status,
         t.repeat, t.seed, t.sweep_point, t.device, t.last_epoch, t.started_at, t.ended_at,
         (julianday(t.ended_at) - julianday(t.started_at)) * 86400.0 AS duration_s,
         tp.train_images_per_s, tp.eval_images_per_s, tp.step_time_ms, tp.data_wait_ms,
         tp.peak_memory_mb, tp.effective_batch, t.error, t.config
  FROM trials t
  JOIN experiments e ON e.id = t.experiment_id
  LEFT JOIN throughput tp ON tp.trial_id = t.id;
CREATE VIEW final_results AS
  SELECT s.experiment, s.experiment_id, s.trial_id, s.key, s.status, s.repeat, s.sweep_point,
         f.split, f.metric, f.value, f.is_nan
  FROM trial_summary s
  JOIN final_metrics f ON f.trial_id = s.trial_id;
INSERT INTO schema_version (version) VALUES (1);
)SQL";

}  // namespace stegolab::test
