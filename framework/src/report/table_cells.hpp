// What every rendering of a ReportTable writes the same way, whatever the
// format: numbers, labels, column groups, repeat counts.
#pragma once

#include <cstddef>
#include <string>

#include "report/report_table.hpp"

namespace stegolab {

// `value` with `decimals` digits after the point.
std::string fixed_decimals(double value, int decimals);
// The last component of a path ("train.batch_size" -> "batch_size") unless
// another path of the table ends the same way; then the whole path.
std::string short_label(const std::string& path, const ReportSpec& spec);
// "batch_size=4, precision=bf16": the values of column group `c`.
std::string column_group_text(const ReportTable& table, size_t c);
// No trial fell into the cell.
bool empty_cell(const ReportCell& cell);
// How many repeats a cell's mean stands on: "3", or "2<space>of<space>3"
// when one of three diverged (NaN), so that a left-out repeat is never silent.
std::string count_text(const SummaryStatistics& s, const std::string& space);
bool any_nan(const ReportTable& table);
// What "(n of m)" means, for a note under a table with a diverged repeat.
extern const char* const kNanNote;
// "<metric> [<unit>]": metric `m` with its unit, as headers show it.
std::string metric_header(const ReportTable& table, size_t m);

}  // namespace stegolab
