// The reports an experiment declares under "reports", rendered in one place
// for `stegolab report --all` and for the end of `stegolab run`.
#pragma once

#include <filesystem>
#include <ostream>
#include <string>

#include "store/result_store.hpp"

namespace stegolab {

// True when the stored experiment JSON has a non-empty "reports" list.
bool declares_reports(const ExperimentRecord& experiment);

// Renders every declared report of `experiment`: those without an "out" go
// to `text` (under a "## <name>" heading), the others are written to their
// "out" file (relative paths: next to the database) and named on `log`, as
// are warnings. Throws ReportError naming the entry ("reports[1] 'main'")
// when one cannot be made; the reports before it have been rendered.
// Returns the number rendered (0 when none is declared). A non-empty
// `format` (the command line's) replaces every entry's; an entry's "out"
// file then takes that format's extension (.md, .tex, .csv), so the files
// of the declared format are not overwritten with another.
int render_declared_reports(const ResultStore& store, const ExperimentRecord& experiment,
                            std::ostream& text, std::ostream& log,
                            const std::string& format = "");

// The file extension of a report format: ".md", ".tex", ".csv".
std::string report_extension(const std::string& format);

// Writes a rendered report, creating its folder; ReportError naming the file
// when that fails. Says "wrote <file>" on `log`.
void write_report_file(const std::string& text, const std::filesystem::path& file,
                       std::ostream& log);

}  // namespace stegolab
