// The tables of a results database as a merge sees them: which hold rows of
// one trial (a `trial_id` column), which columns two files share, and which
// columns hold a path relative to the database's folder. Read from the
// schema itself, so a table a later schema version adds is copied without
// the merge naming it.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

struct sqlite3;

namespace stegolab {

struct MergeTable {
  std::string name;
  // Columns both files have, without `trial_id` and without a rowid alias
  // (`id INTEGER PRIMARY KEY`, renumbered by the output).
  std::vector<std::string> columns;
  // Of `columns`, those holding a path relative to the database's folder.
  std::vector<std::string> relative_paths;
};

struct MergeTables {
  MergeTable trials;                  // columns without `id` and `experiment_id`
  std::vector<MergeTable> per_trial;  // epoch_metrics, final_metrics, throughput, events, ...
  std::vector<MergeTable> shared;     // metric_conventions and other tables keyed by name
};

// The tables of schema `main` (the output) and `source` (an attached file)
// on connection `db`; `file` names the output in errors.
MergeTables merge_tables(sqlite3* db, const std::filesystem::path& file, const std::string& source);

// "a, b, c" (quoted identifiers), with `prefix` before each name.
std::string column_list(const std::vector<std::string>& columns, const std::string& prefix = "");

}  // namespace stegolab
