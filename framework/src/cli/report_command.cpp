// `stegolab report`: comparison tables (Markdown, LaTeX, CSV) and the
// self-contained HTML report from a results database.
#include <chrono>
#include <iostream>

#include <boost/program_options.hpp>

#include "cli/command_line.hpp"
#include "cli/commands.hpp"
#include "report/declared_reports.hpp"
#include "report/html_report.hpp"
#include "report/rate_quality_sections.hpp"
#include "report/report_table.hpp"
#include "report/table_renderer.hpp"
#include "store/database_locator.hpp"
#include "store/result_store.hpp"

namespace stegolab::cli {

namespace {

namespace po = boost::program_options;

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  size_t begin = 0;
  while (begin <= text.size()) {
    const size_t comma = text.find(',', begin);
    const std::string item = text.substr(begin, comma == std::string::npos ? comma : comma - begin);
    if (!item.empty()) items.push_back(item);
    if (comma == std::string::npos) break;
    begin = comma + 1;
  }
  return items;
}

void print_warnings(const std::vector<std::string>& warnings) {
  for (const auto& warning : warnings) {
    std::cerr << "stegolab report: warning: " << warning << "\n";
  }
}

// Every report declared under "reports" in the stored experiment JSON.
// `format`: the command line's, replacing the declared ones; "" keeps them.
int render_all(const ResultStore& store, const ExperimentRecord& experiment,
               const std::string& format) {
  if (!declares_reports(experiment)) {
    throw ReportError("experiment '" + experiment.name + "' in '" + store.file().string() +
                      "' declares no \"reports\" list");
  }
  render_declared_reports(store, experiment, std::cout, std::cerr, format);
  return 0;
}

// The whole HTML document: `tables` when the command line made one, else
// what the experiment declares (html_report_tables).
int render_html(const ResultStore& store, const ExperimentRecord& experiment,
                const std::vector<NamedReport>& tables, const std::string& out) {
  const auto begin = std::chrono::steady_clock::now();
  const std::string html = render_html_report(
      store, experiment, html_report_tables(store, experiment, tables), std::cerr);
  if (out.empty()) {
    std::cout << html;
    return 0;
  }
  write_report_file(html, out, std::cerr);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  std::cerr << "  " << html.size() << " bytes in " << static_cast<int64_t>(seconds * 1000)
            << " ms, self-contained (open it in any browser)\n";
  return 0;
}

}  // namespace

int report_command(const Arguments& args) {
  std::string db, experiment_name, rows, cols, metrics, out, split;
  ReportSpec spec;
  po::options_description options(
      "usage: stegolab report --db D --experiment E --rows PATHS [--cols PATHS] --metrics M,...\n"
      "                       [--rate R --quality Q]\n"
      "       stegolab report --db D [--experiment E] --all\n"
      "       stegolab report --db D [--experiment E] --format html --out report.html\n"
      "options");
  options.add_options()("help,h", "show this help")(
      "db", po::value(&db), "results database (default: the only results/*.db)")(
      "experiment", po::value(&experiment_name), "experiment name or id")(
      "rows", po::value(&rows), "sweep paths for rows, comma-separated (e.g. transform.plugin)")(
      "cols", po::value(&cols), "sweep paths for column groups, comma-separated")(
      "metrics", po::value(&metrics),
      "final metrics and/or throughput fields, comma-separated (the task's metrics, e.g. "
      "loss,train_images_per_s)")("format", po::value(&spec.format)->default_value("markdown"),
                                  "markdown | latex | csv | html (the whole report in one file)")(
      "out", po::value(&out), "write here instead of stdout")(
      "split", po::value(&split)->default_value("test"), "split of the final metrics")(
      "decimals", po::value(&spec.decimals)->default_value(2), "digits after the point")(
      "caption", po::value(&spec.caption), "table caption")("label", po::value(&spec.label),
                                                            "LaTeX label")(
      "all", "render every report declared in the experiment's \"reports\"")(
      "rate", po::value(&spec.rate),
      "with --quality: the rate-quality curves and BD-rates of these two metrics after the "
      "table (default: the curves the task declares)")("quality", po::value(&spec.quality),
                                                       "see --rate");
  po::variables_map vm;
  if (!parse_command_line("report", args, options, vm)) return 0;
  const ResultStore store(locate_database(db, std::filesystem::current_path()),
                          ResultStore::Mode::read_only);
  for (const auto& warning : store.warnings())
    std::cerr << "stegolab report: warning: " << warning << "\n";
  const auto experiment = choose_experiment(store, experiment_name, "report");
  const bool html = spec.format == "html";
  if (html && rows.empty()) return render_html(store, experiment, {}, out);
  if (vm.count("all") != 0) {
    // Only a --format the user gave replaces the declared ones.
    const bool given = vm.count("format") != 0 && !vm["format"].defaulted();
    return render_all(store, experiment, given ? spec.format : "");
  }
  spec.split = split_option("report", split);
  spec.rows = split_list(rows);
  spec.cols = split_list(cols);
  spec.metrics = split_list(metrics);
  if (spec.rows.empty()) throw ReportError("report: --rows needs at least one sweep path");
  if (spec.metrics.empty()) throw ReportError("report: --metrics needs at least one metric");
  if (spec.rate.empty() != spec.quality.empty()) {
    throw ReportError("report: --rate and --quality go together");
  }
  if (html) {
    // Asked for on the command line: a table that cannot be made is an error,
    // not a warning inside the page.
    (void)ReportTable::build(store, experiment, spec);
    return render_html(store, experiment, {{"", spec, true}}, out);
  }
  const auto table = ReportTable::build(store, experiment, spec);
  std::vector<std::string> warnings = table.warnings;
  const std::string text = TableRenderer::render(table) +
                           render_rate_quality_after(store, experiment, spec, true, warnings);
  print_warnings(warnings);
  if (out.empty()) {
    std::cout << text;
  } else {
    write_report_file(text, out, std::cerr);
  }
  return 0;
}

}  // namespace stegolab::cli
