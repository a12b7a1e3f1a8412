#include "report/declared_reports.hpp"

#include <fstream>

#include "report/rate_quality_sections.hpp"
#include "report/report_table.hpp"
#include "report/table_renderer.hpp"

namespace stegolab {

bool declares_reports(const ExperimentRecord& experiment) {
  const auto& json = experiment.experiment;
  return json.is_object() && json.contains("reports") && json.at("reports").is_array() &&
         !json.at("reports").empty();
}

void write_report_file(const std::string& text, const std::filesystem::path& file,
                       std::ostream& log) {
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::binary);
  if (!(out << text) || !out.flush()) {
    throw ReportError("report: cannot write '" + file.string() + "'");
  }
  log << "wrote " << file.string() << "\n";
}

std::string report_extension(const std::string& format) {
  if (format == "latex") return ".tex";
  if (format == "csv") return ".csv";
  return ".md";
}

namespace {

// The entry's table, then, for an entry naming a rate and a quality, the
// rate-quality points and the BD-rates, each in the entry's format.
std::string render_entry(const ResultStore& store, const ExperimentRecord& experiment,
                         const ReportSpec& spec, std::vector<std::string>& warnings) {
  const ReportTable table = ReportTable::build(store, experiment, spec);
  warnings = table.warnings;
  return TableRenderer::render(table) +
         render_rate_quality_after(store, experiment, spec, false, warnings);
}

}  // namespace

int render_declared_reports(const ResultStore& store, const ExperimentRecord& experiment,
                            std::ostream& text, std::ostream& log, const std::string& format) {
  if (!declares_reports(experiment)) return 0;
  const auto& declared = experiment.experiment.at("reports");
  int rendered = 0;
  for (size_t i = 0; i < declared.size(); ++i) {
    const auto& entry = declared[i];
    const std::string path = "reports[" + std::to_string(i) + "]";
    auto spec = ReportSpec::from_json(
        entry, "experiment '" + experiment.name + "' in '" + store.file().string() + "'", path);
    if (!format.empty()) spec.format = format;
    const std::string name = entry.value("name", "");
    std::vector<std::string> warnings;
    std::string rendered_text;
    try {
      rendered_text = render_entry(store, experiment, spec, warnings);
    } catch (const ReportError& error) {
      throw ReportError(path + (name.empty() ? "" : " '" + name + "'") + ": " + error.what());
    }
    for (const auto& warning : warnings) {
      log << "stegolab report" << (name.empty() ? "" : " '" + name + "'")
          << ": warning: " << warning << "\n";
    }
    const std::string out = entry.value("out", "");
    if (!out.empty()) {
      std::filesystem::path file = out;
      // Relative to the database, so the same experiment writes beside
      // whichever --db it was run into.
      if (file.is_relative()) file = store.file().parent_path() / file;
      if (!format.empty()) file.replace_extension(report_extension(format));
      write_report_file(rendered_text, file, log);
    } else {
      // Any format may be printed: a LaTeX table in the terminal is still
      // ready to paste.
      text << (name.empty() ? "" : "## " + name + "\n\n") << rendered_text << "\n";
    }
    ++rendered;
  }
  return rendered;
}

}  // namespace stegolab
