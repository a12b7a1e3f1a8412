#include "report/table_cells.hpp"

#include <cstdio>

#include "report/sweep_value.hpp"

namespace stegolab {

std::string fixed_decimals(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

std::string short_label(const std::string& path, const ReportSpec& spec) {
  auto last = [](const std::string& p) {
    const size_t dot = p.rfind('.');
    return dot == std::string::npos ? p : p.substr(dot + 1);
  };
  int same = 0;
  for (const auto& list : {spec.rows, spec.cols}) {
    for (const auto& other : list) same += last(other) == last(path) ? 1 : 0;
  }
  return same > 1 ? path : last(path);
}

std::string column_group_text(const ReportTable& table, size_t c) {
  std::string text;
  for (size_t i = 0; i < table.spec.cols.size(); ++i) {
    text += (i == 0 ? "" : ", ") + short_label(table.spec.cols[i], table.spec) + "=" +
            sweep_value_text(table.col_keys[c][i]);
  }
  return text;
}

bool empty_cell(const ReportCell& cell) { return cell.stats.n == 0 && cell.stats.nan_count == 0; }

std::string count_text(const SummaryStatistics& s, const std::string& space) {
  const std::string n = std::to_string(s.n);
  return s.nan_count == 0 ? n : n + space + "of" + space + std::to_string(s.n + s.nan_count);
}

bool any_nan(const ReportTable& table) {
  for (const auto& row : table.cells) {
    for (const auto& col : row) {
      for (const auto& cell : col) {
        if (cell.stats.nan_count > 0) return true;
      }
    }
  }
  return false;
}

extern const char* const kNanNote =
    "only n of the cell's m repeats have a value; the others diverged (NaN) and are left out "
    "of mean and std.";

std::string metric_header(const ReportTable& table, size_t m) {
  const std::string& unit = table.units[m];
  return table.spec.metrics[m] + (unit.empty() ? "" : " [" + unit + "]");
}

}  // namespace stegolab
