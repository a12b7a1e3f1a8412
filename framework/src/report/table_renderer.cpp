#include "report/table_renderer.hpp"

#include <cmath>
#include <cstdio>
#include <sstream>

#include "report/csv_field.hpp"
#include "report/sweep_value.hpp"
#include "report/table_cells.hpp"

namespace stegolab {

namespace {

std::string full_precision(double value) {
  if (std::isnan(value)) return "";
  char text[64];
  std::snprintf(text, sizeof text, "%.12g", value);
  return text;
}

// "31.25 ± 0.12 (3)"; plus_minus and the number wrapper differ per format.
std::string cell_text(const ReportCell& cell, int decimals, bool latex) {
  const auto& s = cell.stats;
  if (s.n == 0)
    return latex ? "NaN~(" + count_text(s, "~") + ")" : "NaN (" + count_text(s, " ") + ")";
  auto number = [&](double value) {
    if (std::isinf(value)) return std::string(value > 0 ? "inf" : "-inf");
    return fixed_decimals(value, decimals);
  };
  const bool with_std = s.n > 1 && std::isfinite(s.std);
  std::string body;
  if (latex) {
    if (std::isinf(s.mean)) {
      body = s.mean > 0 ? "$\\infty$" : "$-\\infty$";
    } else if (cell.best) {
      // siunitx v3 typesets \num in its own (upright, normal-weight) font,
      // so \textbf{\num{...}} would not look bold: the best cell is plain text.
      body = number(s.mean) + (with_std ? " $\\pm$ " + number(s.std) : "");
    } else {
      body = "\\num{" + number(s.mean) + (with_std ? " \\pm " + number(s.std) : "") + "}";
    }
    if (cell.best) body = "\\textbf{" + body + "}";
    return body + "~(" + count_text(s, "~") + ")";
  }
  body = number(s.mean) + (s.n > 1 ? " ± " + number(s.std) : "");
  if (cell.best) body = "**" + body + "**";
  return body + " (" + count_text(s, " ") + ")";
}

std::string latex_escape(const std::string& text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '_':
        out += "\\_";
        break;
      case '&':
        out += "\\&";
        break;
      case '%':
        out += "\\%";
        break;
      case '$':
        out += "\\$";
        break;
      case '#':
        out += "\\#";
        break;
      case '{':
        out += "\\{";
        break;
      case '}':
        out += "\\}";
        break;
      case '~':
        out += "\\textasciitilde{}";
        break;
      case '^':
        out += "\\textasciicircum{}";
        break;
      case '\\':
        out += "\\textbackslash{}";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string markdown_escape(const std::string& text) {
  std::string out;
  for (const char c : text) out += c == '|' ? std::string("\\|") : std::string(1, c);
  return out;
}

}  // namespace

std::string TableRenderer::render(const ReportTable& table) {
  const std::string& format = table.spec.format;
  if (format == "markdown") return markdown(table);
  if (format == "latex") return latex(table);
  if (format == "csv") return csv(table);
  throw ReportError("unknown report format '" + format + "' (expected markdown, latex or csv)");
}

std::string TableRenderer::markdown(const ReportTable& table) {
  const auto& spec = table.spec;
  const bool grouped = !spec.cols.empty();
  std::ostringstream out;
  out << "|";
  for (const auto& path : spec.rows) out << " " << markdown_escape(path) << " |";
  for (size_t c = 0; c < table.col_keys.size(); ++c) {
    for (size_t m = 0; m < spec.metrics.size(); ++m) {
      out << " " << markdown_escape(metric_header(table, m));
      if (grouped) out << " (" << markdown_escape(column_group_text(table, c)) << ")";
      out << " |";
    }
  }
  out << "\n|";
  for (size_t i = 0; i < spec.rows.size(); ++i) out << "---|";
  for (size_t i = 0; i < table.col_keys.size() * spec.metrics.size(); ++i) out << "---:|";
  out << "\n";
  for (size_t r = 0; r < table.row_keys.size(); ++r) {
    out << "|";
    for (const auto& value : table.row_keys[r]) {
      out << " " << markdown_escape(sweep_value_text(value)) << " |";
    }
    for (size_t c = 0; c < table.col_keys.size(); ++c) {
      for (size_t m = 0; m < spec.metrics.size(); ++m) {
        const auto& cell = table.cells[r][c][m];
        out << " " << (empty_cell(cell) ? "–" : cell_text(cell, spec.decimals, false)) << " |";
      }
    }
    out << "\n";
  }
  if (!spec.caption.empty()) out << "\nTable: " << spec.caption << "\n";
  if (any_nan(table)) out << "\n(n of m): " << kNanNote << "\n";
  return out.str();
}

std::string TableRenderer::latex(const ReportTable& table) {
  const auto& spec = table.spec;
  const size_t metric_count = spec.metrics.size();
  const size_t row_columns = spec.rows.size();
  std::ostringstream out;
  out << "% needs \\usepackage{booktabs} and \\usepackage{siunitx}\n";
  out << "\\begin{table}[t]\n  \\centering\n";
  if (!spec.caption.empty()) out << "  \\caption{" << latex_escape(spec.caption) << "}\n";
  if (!spec.label.empty()) out << "  \\label{" << spec.label << "}\n";
  out << "  \\begin{tabular}{" << std::string(row_columns, 'l')
      << std::string(table.col_keys.size() * metric_count, 'c') << "}\n";
  out << "    \\toprule\n";
  if (!spec.cols.empty()) {
    out << "    " << std::string(row_columns - 1, '&');
    for (size_t c = 0; c < table.col_keys.size(); ++c) {
      out << " & \\multicolumn{" << metric_count << "}{c}{"
          << latex_escape(column_group_text(table, c)) << "}";
    }
    out << " \\\\\n    ";
    for (size_t c = 0; c < table.col_keys.size(); ++c) {
      const size_t first = row_columns + 1 + c * metric_count;
      out << (c == 0 ? "" : " ") << "\\cmidrule(lr){" << first << "-" << first + metric_count - 1
          << "}";
    }
    out << "\n";
  }
  out << "    ";
  for (size_t i = 0; i < row_columns; ++i)
    out << (i == 0 ? "" : " & ") << latex_escape(spec.rows[i]);
  for (size_t c = 0; c < table.col_keys.size(); ++c) {
    for (size_t m = 0; m < metric_count; ++m) {
      out << " & " << latex_escape(metric_header(table, m));
    }
  }
  out << " \\\\\n    \\midrule\n";
  for (size_t r = 0; r < table.row_keys.size(); ++r) {
    out << "    ";
    for (size_t i = 0; i < row_columns; ++i) {
      const std::string label = latex_escape(sweep_value_text(table.row_keys[r][i]));
      // After \\ or \midrule a leading [ or * would be read as their
      // optional argument or star; {} ends that look-ahead.
      const bool guard = i == 0 && !label.empty() && (label[0] == '[' || label[0] == '*');
      out << (i == 0 ? "" : " & ") << (guard ? "{}" : "") << label;
    }
    for (size_t c = 0; c < table.col_keys.size(); ++c) {
      for (size_t m = 0; m < metric_count; ++m) {
        const auto& cell = table.cells[r][c][m];
        out << " & " << (empty_cell(cell) ? "--" : cell_text(cell, spec.decimals, true));
      }
    }
    out << " \\\\\n";
  }
  out << "    \\bottomrule\n  \\end{tabular}\n";
  if (any_nan(table)) {
    out << "  \\par\\smallskip{\\footnotesize ($n$~of~$m$): " << kNanNote << "\\par}\n";
  }
  out << "\\end{table}\n";
  return out.str();
}

std::string TableRenderer::csv(const ReportTable& table) {
  const auto& spec = table.spec;
  std::ostringstream out;
  for (const auto& path : spec.rows) out << csv_field(path) << ",";
  for (const auto& path : spec.cols) out << csv_field(path) << ",";
  out << "metric,unit,mean,std,n,nan_count,best\n";
  for (size_t r = 0; r < table.row_keys.size(); ++r) {
    for (size_t c = 0; c < table.col_keys.size(); ++c) {
      for (size_t m = 0; m < spec.metrics.size(); ++m) {
        const auto& cell = table.cells[r][c][m];
        if (empty_cell(cell)) continue;
        for (const auto& value : table.row_keys[r])
          out << csv_field(sweep_value_text(value)) << ",";
        for (const auto& value : table.col_keys[c])
          out << csv_field(sweep_value_text(value)) << ",";
        out << csv_field(spec.metrics[m]) << "," << csv_field(table.units[m]) << ","
            << full_precision(cell.stats.mean) << "," << full_precision(cell.stats.std) << ","
            << cell.stats.n << "," << cell.stats.nan_count << "," << (cell.best ? 1 : 0) << "\n";
      }
    }
  }
  return out.str();
}

}  // namespace stegolab
