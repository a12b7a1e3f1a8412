#include "store/merge_tables.hpp"

#include <algorithm>
#include <set>

#include "store/sqlite_statement.hpp"

namespace stegolab {

namespace {

// Tables the merge writes itself (or never copies).
const std::set<std::string> kMergeOwnTables = {"schema_version", "experiments", "trials"};

// Columns that hold a path relative to the database's folder, which a
// merge into another folder rewrites. The picture files of a trial's
// gallery are the one such column so far.
const std::vector<std::pair<std::string, std::string>> kRelativePathColumns = {
    {"gallery_images", "path"}};

struct MergeColumn {
  std::string name;
  bool rowid_alias = false;  // INTEGER PRIMARY KEY: the table's own id
};

std::vector<MergeColumn> merge_columns_of(sqlite3* db, const std::filesystem::path& file,
                                          const std::string& schema, const std::string& table) {
  SqliteStatement query(db, file,
                        "SELECT name, upper(type), pk, "
                        "(SELECT count(*) FROM pragma_table_info(?1, ?2) WHERE pk > 0) "
                        "FROM pragma_table_info(?1, ?2) ORDER BY cid",
                        "reading the columns of table " + table);
  query.bind(1, table).bind(2, schema);
  std::vector<MergeColumn> columns;
  while (query.step()) {
    const bool alias =
        query.column_text(1) == "INTEGER" && query.column_int(2) == 1 && query.column_int(3) == 1;
    columns.push_back({query.column_text(0), alias});
  }
  return columns;
}

std::vector<std::string> merge_table_names(sqlite3* db, const std::filesystem::path& file,
                                           const std::string& schema) {
  SqliteStatement query(db, file,
                        "SELECT name FROM \"" + schema +
                            "\".sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                            "ORDER BY name",
                        "listing the tables");
  std::vector<std::string> names;
  while (query.step()) names.push_back(query.column_text(0));
  return names;
}

// The table as both files have it; `skip` names columns the merge sets itself.
MergeTable merge_shared_columns(sqlite3* db, const std::filesystem::path& file,
                                const std::string& source, const std::string& table,
                                const std::set<std::string>& skip) {
  MergeTable merged{table, {}, {}};
  std::set<std::string> in_source;
  for (const MergeColumn& column : merge_columns_of(db, file, source, table))
    in_source.insert(column.name);
  for (const MergeColumn& column : merge_columns_of(db, file, "main", table)) {
    if (column.rowid_alias || skip.count(column.name) || !in_source.count(column.name)) continue;
    merged.columns.push_back(column.name);
    for (const auto& [path_table, path_column] : kRelativePathColumns) {
      if (path_table == table && path_column == column.name)
        merged.relative_paths.push_back(column.name);
    }
  }
  return merged;
}

}  // namespace

MergeTables merge_tables(sqlite3* db, const std::filesystem::path& file,
                         const std::string& source) {
  MergeTables tables;
  tables.trials = merge_shared_columns(db, file, source, "trials", {"id", "experiment_id"});
  const std::vector<std::string> in_source = merge_table_names(db, file, source);
  for (const std::string& name : merge_table_names(db, file, "main")) {
    if (kMergeOwnTables.count(name) ||
        std::find(in_source.begin(), in_source.end(), name) == in_source.end())
      continue;
    bool per_trial = false;
    for (const MergeColumn& column : merge_columns_of(db, file, "main", name))
      per_trial = per_trial || column.name == "trial_id";
    if (per_trial) {
      tables.per_trial.push_back(merge_shared_columns(db, file, source, name, {"trial_id"}));
    } else {
      tables.shared.push_back(merge_shared_columns(db, file, source, name, {}));
    }
  }
  return tables;
}

std::string column_list(const std::vector<std::string>& columns, const std::string& prefix) {
  std::string list;
  for (const std::string& column : columns) {
    list += (list.empty() ? "" : ", ") + prefix + "\"" + column + "\"";
  }
  return list;
}

}  // namespace stegolab
