// The results database's schema, version by version. Frozen: a released
// version's text never changes; a new version is a new migration.
#include "store/schema_sql.hpp"

namespace stegolab {

// Version 1, as the first release wrote it. A new file is created at version 1
// and then migrated like an old one, so every file takes the same path.
// NaN: SQLite stores a NaN REAL as NULL, so metric tables keep `value` NULL
// and `is_nan` 1 for a NaN; a NULL with is_nan 0 cannot occur (CHECK). Plain
// SQL aggregates (AVG, MIN) therefore skip NaN values instead of reading 0.
extern const char* const kSchemaV1 = R"SQL(
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

// Version 2: what each metric means, as typed columns one can filter on
// (NULL: not applicable or not known). Filled by write_conventions().
extern const char* const kMigrationV2 = R"SQL(
ALTER TABLE metric_conventions ADD COLUMN range_min REAL;
ALTER TABLE metric_conventions ADD COLUMN range_max REAL;
ALTER TABLE metric_conventions ADD COLUMN colour_space TEXT
  CHECK (colour_space IS NULL OR colour_space IN ('RGB', 'Y'));
ALTER TABLE metric_conventions ADD COLUMN quantised INTEGER
  CHECK (quantised IS NULL OR quantised IN (0, 1));
UPDATE schema_version SET version = 2;
)SQL";

// Version 3: the pictures a trial leaves (galleries), one row per file.
// `path` is relative to the database's folder, so a database moved with its
// runs folder still finds them. `position` is the panel's place in the
// task's display order.
extern const char* const kMigrationV3 = R"SQL(
CREATE TABLE gallery_images (
  trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
  split TEXT NOT NULL CHECK (split IN ('train','val','test')),
  sample INTEGER NOT NULL,
  position INTEGER NOT NULL,
  panel TEXT NOT NULL,
  caption TEXT NOT NULL DEFAULT '',
  path TEXT NOT NULL,
  width INTEGER NOT NULL,
  height INTEGER NOT NULL,
  PRIMARY KEY (trial_id, split, sample, panel)
);
UPDATE schema_version SET version = 3;
)SQL";

// Version 4: where a trial's numbers come from. `trained`: a run of this
// program trained it (every trial before version 4); `external`: another
// method's output files measured by a command (the steganography task's
// `stegolab evaluate`), its key the name the user gave it.
extern const char* const kMigrationV4 = R"SQL(
ALTER TABLE trials ADD COLUMN kind TEXT NOT NULL DEFAULT 'trained' CHECK (kind <> '');
UPDATE schema_version SET version = 4;
)SQL";

}  // namespace stegolab
