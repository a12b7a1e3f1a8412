// TableRenderer: a ReportTable as Markdown, LaTeX (booktabs + siunitx) or CSV.
//
// Markdown and LaTeX cells read "mean ± std (n)" with the spec's decimals
// ("mean (1)" for a single repeat), best values in bold; CSV is one tidy line
// per cell and metric with full precision, for further processing.
#pragma once

#include <string>

#include "report/report_table.hpp"

namespace stegolab {

class TableRenderer {
 public:
  static std::string render(const ReportTable& table);  // by table.spec.format
  static std::string markdown(const ReportTable& table);
  static std::string latex(const ReportTable& table);
  static std::string csv(const ReportTable& table);
};

}  // namespace stegolab
