#include "report/html_table.hpp"

#include <cmath>
#include <sstream>

#include "report/markup_escape.hpp"
#include "report/sweep_value.hpp"
#include "report/table_cells.hpp"

namespace stegolab {

namespace {

std::string html_cell(const ReportCell& cell, int decimals) {
  if (empty_cell(cell)) return "<td class=\"empty\">–</td>";
  const SummaryStatistics& s = cell.stats;
  if (s.n == 0) return "<td class=\"nan\">NaN (" + count_text(s, " ") + ")</td>";
  auto number = [&](double value) {
    if (std::isinf(value)) return std::string(value > 0 ? "∞" : "−∞");
    return fixed_decimals(value, decimals);
  };
  std::string body = number(s.mean) + (s.n > 1 ? " ± " + number(s.std) : "");
  if (cell.best) body = "<strong>" + body + "</strong>";
  return std::string("<td") + (cell.best ? " class=\"best\"" : "") + ">" + body +
         " <span class=\"n\">(" + count_text(s, " ") + ")</span></td>";
}

void write_header(const ReportTable& table, std::ostream& out) {
  const ReportSpec& spec = table.spec;
  out << "<thead>";
  if (!spec.cols.empty()) {
    out << "<tr><th colspan=\"" << spec.rows.size() << "\"></th>";
    for (size_t c = 0; c < table.col_keys.size(); ++c) {
      out << "<th class=\"group\" colspan=\"" << spec.metrics.size() << "\">"
          << markup_escape(column_group_text(table, c)) << "</th>";
    }
    out << "</tr>";
  }
  out << "<tr>";
  for (const std::string& path : spec.rows) out << "<th>" << markup_escape(path) << "</th>";
  for (size_t c = 0; c < table.col_keys.size(); ++c) {
    for (size_t m = 0; m < spec.metrics.size(); ++m) {
      out << "<th class=\"metric\">" << markup_escape(metric_header(table, m)) << "</th>";
    }
  }
  out << "</tr></thead>\n";
}

}  // namespace

std::string html_table(const ReportTable& table) {
  const ReportSpec& spec = table.spec;
  std::ostringstream out;
  out << "<table class=\"results\">\n";
  if (!spec.caption.empty()) out << "<caption>" << markup_escape(spec.caption) << "</caption>\n";
  write_header(table, out);
  out << "<tbody>\n";
  for (size_t r = 0; r < table.row_keys.size(); ++r) {
    out << "<tr>";
    for (const auto& value : table.row_keys[r]) {
      out << "<th class=\"row\">" << markup_escape(sweep_value_text(value)) << "</th>";
    }
    for (size_t c = 0; c < table.col_keys.size(); ++c) {
      for (size_t m = 0; m < spec.metrics.size(); ++m) {
        out << html_cell(table.cells[r][c][m], spec.decimals);
      }
    }
    out << "</tr>\n";
  }
  out << "</tbody></table>\n";
  if (any_nan(table)) out << "<p class=\"note\">(n of m): " << kNanNote << "</p>\n";
  return out.str();
}

}  // namespace stegolab
