#include "report/html_report.hpp"

#include <ctime>
#include <set>
#include <sstream>

#include "report/html_table.hpp"
#include "report/markup_escape.hpp"
#include "report/report_table.hpp"
#include "report/sweep_value.hpp"

namespace stegolab {

namespace {

// Screen: a readable column on a laptop; print: no colours that waste ink,
// pictures and tables kept whole on a page.
const char* const kStyle = R"CSS(
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto;
       max-width: 1180px; padding: 1.5rem; color: #1d1d1f; line-height: 1.45; }
h1 { font-size: 1.7rem; margin-bottom: .2rem; } h2 { border-bottom: 1px solid #ccc; margin-top: 2rem; }
.lead { color: #444; margin-top: 0; }
table { border-collapse: collapse; margin: .6rem 0 1rem; font-size: .9rem; }
th, td { border-bottom: 1px solid #ddd; padding: .25rem .6rem; text-align: right; vertical-align: top; }
th.row, thead th:first-child, table.facts th, table.facts td { text-align: left; }
thead th { border-bottom: 2px solid #888; } caption { caption-side: top; text-align: left; font-weight: 600; }
td.best { background: #e8f4e8; } .n { color: #777; font-size: .8em; } .note { color: #555; font-size: .85rem; }
.warning { color: #8a4b00; } .charts { display: flex; flex-wrap: wrap; gap: 1rem; }
.charts figure { margin: 0; flex: 0 1 560px; } .charts svg { width: 100%; height: auto; border: 1px solid #eee; }
table.gallery td, table.gallery th { text-align: center; font-size: .8rem; }
table.gallery img { width: 104px; height: auto; image-rendering: pixelated; display: block; margin: auto; }
pre { background: #f6f6f6; padding: .6rem; overflow: auto; max-height: 22rem; font-size: .8rem; }
.trial { break-inside: avoid; margin-bottom: 1.2rem; }
@media print { body { max-width: none; padding: 0; } td.best { background: none; }
  pre { max-height: none; white-space: pre-wrap; } table, figure, .trial { break-inside: avoid; }
  table.gallery img { width: 96px; } }
)CSS";

std::string now_utc() {
  const std::time_t now = std::time(nullptr);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M UTC", std::gmtime(&now));
  return text;
}

std::string joined(const std::set<std::string>& values) {
  std::string text;
  for (const std::string& value : values) {
    if (!value.empty()) text += (text.empty() ? "" : ", ") + value;
  }
  return text.empty() ? "–" : text;
}

std::string provenance_section(const ResultStore& store, const ExperimentRecord& experiment) {
  std::set<std::string> revisions, torch_versions, devices, hosts, plugins;
  std::map<TrialStatus, int64_t> counts;
  for (const TrialRecord& trial : store.trials(experiment.id)) {
    revisions.insert(trial.git_revision);
    torch_versions.insert(trial.torch_version);
    devices.insert(trial.device);
    hosts.insert(trial.host);
    ++counts[trial.status];
    for (const auto& [section, plugin] : trial.plugins.items()) {
      plugins.insert(section + ": " + plugin.value("name", "?") + " " +
                     plugin.value("version", "?"));
    }
  }
  std::string statuses;
  for (const auto& [status, count] : counts) {
    statuses += (statuses.empty() ? "" : ", ") + std::to_string(count) + " " + status_name(status);
  }
  std::ostringstream out;
  out << "<section id=\"provenance\"><h2>Provenance</h2><table class=\"facts\">\n";
  const std::pair<const char*, std::string> rows[] = {
      {"results database", store.file().filename().string()},
      {"experiment recorded", experiment.created},
      {"trials", statuses.empty() ? "none" : statuses},
      {"git revision", joined(revisions)},
      {"LibTorch", joined(torch_versions)},
      {"device", joined(devices)},
      {"host", joined(hosts)},
      {"plugins", joined(plugins)},
      {"report written", now_utc()}};
  for (const auto& [name, value] : rows) {
    out << "<tr><th>" << name << "</th><td>" << markup_escape(value) << "</td></tr>\n";
  }
  out << "</table></section>\n";
  return out.str();
}

std::string tables_section(const ResultStore& store, const ExperimentRecord& experiment,
                           const std::vector<NamedReport>& tables,
                           std::vector<std::string>& warnings) {
  std::ostringstream out;
  out << "<section id=\"tables\"><h2>Results</h2>\n";
  for (const NamedReport& report : tables) {
    if (!report.name.empty()) out << "<h3>" << markup_escape(report.name) << "</h3>\n";
    try {
      const ReportTable table = ReportTable::build(store, experiment, report.spec);
      for (const std::string& warning : table.warnings) warnings.push_back(warning);
      out << html_table(table);
      out << "<p class=\"note\">" << split_name(report.spec.split)
          << " split; mean ± standard deviation over repeats (n); best of each column in "
             "bold.</p>\n";
      out << html_rate_quality(store, experiment, report, warnings);
    } catch (const ReportError& error) {
      warnings.push_back((report.name.empty() ? "table" : report.name) + ": " + error.what());
      out << "<p class=\"warning\">" << markup_escape(error.what()) << "</p>\n";
    }
  }
  out << "</section>\n";
  return out.str();
}

}  // namespace

std::string render_html_report(const ResultStore& store, const ExperimentRecord& experiment,
                               const std::vector<NamedReport>& tables, std::ostream& log) {
  std::vector<std::string> warnings;
  const std::string description =
      experiment.experiment.is_object() ? experiment.experiment.value("description", "") : "";
  const std::string body = tables_section(store, experiment, tables, warnings) +
                           html_curves_section(store, experiment, tables, warnings) +
                           html_galleries_section(store, experiment, warnings) +
                           provenance_section(store, experiment) +
                           html_trials_section(store, experiment);
  std::ostringstream out;
  out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      << "<title>" << markup_escape(experiment.name) << " — stegolab report</title>\n"
      << "<style>" << kStyle << "</style></head>\n<body>\n"
      << "<h1>" << markup_escape(experiment.name) << "</h1>\n"
      << "<p class=\"lead\">"
      << markup_escape(description.empty() ? "(no description)" : description) << "</p>\n";
  for (const std::string& warning : warnings) {
    log << "stegolab report: warning: " << warning << "\n";
    out << "<p class=\"warning\">warning: " << markup_escape(warning) << "</p>\n";
  }
  out << body << "</body></html>\n";
  return out.str();
}

std::string trial_label(const TrialRecord& trial, const std::vector<std::string>& varying) {
  // A trial not trained here has no sweep values: its name says which it is.
  if (trial.kind != "trained") return trial.key + " (" + trial.kind + ")";
  if (varying.empty()) return trial.key;
  std::string label;
  for (const std::string& path : varying) {
    label += (label.empty() ? "" : ", ") + path + "=" + sweep_value_text(sweep_value(trial, path));
  }
  if (trial.repeat > 0) label += " #" + std::to_string(trial.repeat);
  return label;
}

}  // namespace stegolab
