// A ReportTable as an HTML <table> (for the HTML report): cells read
// "mean ± std (n)" like Markdown, best values in <strong>.
#pragma once

#include <string>

#include "report/report_table.hpp"

namespace stegolab {

std::string html_table(const ReportTable& table);

}  // namespace stegolab
