// `stegolab plot`: SVG line charts (and PNG when a converter is installed).
#include <cstdlib>
#include <fstream>
#include <iostream>

#include <boost/program_options.hpp>

#include "cli/command_line.hpp"
#include "cli/commands.hpp"
#include "report/line_chart.hpp"
#include "report/plot_series.hpp"
#include "report/rate_quality_report.hpp"
#include "report/report_spec.hpp"
#include "store/database_locator.hpp"
#include "store/result_store.hpp"

namespace stegolab::cli {

namespace {

namespace po = boost::program_options;

bool on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  if (path == nullptr) return false;
  std::string dirs = path;
  size_t begin = 0;
  while (begin <= dirs.size()) {
    const size_t colon = dirs.find(':', begin);
    const std::string dir = dirs.substr(begin, colon == std::string::npos ? colon : colon - begin);
    std::error_code ec;
    if (!dir.empty() &&
        std::filesystem::is_regular_file(std::filesystem::path(dir) / program, ec)) {
      return true;
    }
    if (colon == std::string::npos) break;
    begin = colon + 1;
  }
  return false;
}

std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (const char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// A PNG next to the SVG with rsvg-convert, else ImageMagick's convert. A
// converter that fails costs the PNG only, never the SVG.
void convert_to_png(const std::filesystem::path& svg) {
  const auto png = std::filesystem::path(svg).replace_extension(".png");
  bool installed = false;
  for (const std::string tool : {"rsvg-convert", "convert"}) {
    if (!on_path(tool)) continue;
    installed = true;
    const std::string command =
        tool == "rsvg-convert"
            ? "rsvg-convert -o " + shell_quote(png.string()) + " " + shell_quote(svg.string())
            : "convert " + shell_quote(svg.string()) + " " + shell_quote(png.string());
    std::error_code ec;
    std::filesystem::remove(png, ec);
    const int rc = std::system((command + " >/dev/null 2>&1").c_str());
    if (rc == 0 && std::filesystem::exists(png, ec)) {
      std::cerr << "wrote " << png.string() << " (with " << tool << ")\n";
      return;
    }
    std::cerr << "stegolab plot: warning: " << tool << " could not make " << png.string()
              << "; the SVG is complete\n";
  }
  if (installed) return;
  std::cerr << "no PNG beside the SVG: neither rsvg-convert (Debian: librsvg2-bin) nor "
               "ImageMagick's convert is installed (--no-png says nothing)\n";
}

}  // namespace

namespace {

// What the command line asked to plot.
struct PlotRequest {
  std::string db, experiment, metric, split, group, out, x, y, title, rate, quality, rows;
  bool throughput = false;
  bool split_given = false;
};

// A rate-quality chart: the experiment's curve and its anchors, by rate.
LineChart rate_quality_chart(const ResultStore& store, const ExperimentRecord& experiment,
                             const PlotRequest& request) {
  ReportSpec spec;
  spec.rows = {request.rows};
  spec.rate = request.rate;
  spec.quality = request.quality;
  // Final metrics are of the test split unless the user says otherwise.
  spec.split = request.split_given ? split_option("plot", request.split) : Split::test;
  LineChart chart;
  chart.series = RateQualityReport::build(store, experiment, spec).chart_series();
  chart.x_label = request.rate;
  chart.y_label = request.quality;
  chart.title = request.title.empty()
                    ? experiment.name + ": " + request.quality + " vs " + request.rate
                    : request.title;
  return chart;
}

LineChart requested_chart(const ResultStore& store, const ExperimentRecord& experiment,
                          const PlotRequest& request) {
  if (!request.rate.empty()) return rate_quality_chart(store, experiment, request);
  LineChart chart;
  const std::string& title = request.title;
  if (request.throughput) {
    chart.series = metric_by_sweep_value(store, experiment, request.x, request.y, request.group);
    chart.x_label = request.x;
    chart.y_label = request.y;
    chart.title = title.empty() ? experiment.name + ": " + request.y + " vs " + request.x : title;
    return chart;
  }
  const std::string& metric = request.metric;
  chart.series = metric_by_epoch(store, experiment, metric, split_option("plot", request.split),
                                 request.group);
  chart.x_label = "epoch";
  chart.integer_x = true;
  chart.y_label = metric + " (" + request.split + ")";
  chart.title =
      title.empty() ? experiment.name + ": " + metric + " (" + request.split + ")" : title;
  return chart;
}

void check_request(const PlotRequest& r) {
  if (r.out.empty()) throw ReportError("plot: --out FILE.svg is required");
  const bool rate_quality = !r.rate.empty() || !r.quality.empty();
  if (rate_quality && (r.rate.empty() || r.quality.empty() || r.rows.empty())) {
    throw ReportError("plot: rate-quality curves need --rate, --quality and --rows");
  }
  if (!rate_quality && (r.throughput ? r.x.empty() : r.metric.empty())) {
    throw ReportError(r.throughput ? "plot --throughput: --x PATH is required"
                                   : "plot: --metric is required (or --throughput --x PATH, or "
                                     "--rate, --quality and --rows)");
  }
}

}  // namespace

int plot_command(const Arguments& args) {
  PlotRequest r;
  po::options_description options(
      "usage: stegolab plot --db D --experiment E --metric M [--split val] [--group PATH] --out "
      "F.svg\n"
      "       stegolab plot --db D --experiment E --throughput --x PATH [--y FIELD] [--group PATH] "
      "--out F.svg\n"
      "       stegolab plot --db D --experiment E --rate bpp --quality psnr --rows PATH "
      "[--split test] --out F.svg\n"
      "options");
  options.add_options()("help,h", "show this help")(
      "db", po::value(&r.db), "results database (default: the only results/*.db)")(
      "experiment", po::value(&r.experiment), "experiment name or id")(
      "metric", po::value(&r.metric),
      "metric against epoch (a metric the task declares, or loss, lr, ...)")(
      "split", po::value(&r.split)->default_value("val"),
      "split of --metric (of --rate/--quality: test unless given)")(
      "group", po::value(&r.group),
      "lines: by default one per trial group (the sweep paths that vary), the mean over "
      "repeats; a sweep path: one per value of it; none: one line")(
      "throughput", "plot a throughput field against a numeric sweep path")(
      "x", po::value(&r.x), "throughput: numeric sweep path (e.g. train.batch_size)")(
      "y", po::value(&r.y)->default_value("train_images_per_s"),
      "throughput: field or final metric")(
      "rate", po::value(&r.rate),
      "rate-quality curves: the rate metric on x (e.g. bpp), with --quality; anchors the "
      "trials recorded as <rate>@<curve>(<setting>) are curves of their own")(
      "quality", po::value(&r.quality), "rate-quality curves: the quality metric on y (e.g. psnr)")(
      "rows", po::value(&r.rows), "rate-quality curves: the sweep path whose values are the points")(
      "title", po::value(&r.title), "chart title")("out", po::value(&r.out), "SVG file to write")(
      "no-png", "do not make a PNG even when a converter is installed");
  po::variables_map vm;
  if (!parse_command_line("plot", args, options, vm)) return 0;
  r.throughput = vm.count("throughput") != 0;
  r.split_given = !vm["split"].defaulted();
  check_request(r);
  const ResultStore store(locate_database(r.db, std::filesystem::current_path()),
                          ResultStore::Mode::read_only);
  for (const auto& warning : store.warnings())
    std::cerr << "stegolab plot: warning: " << warning << "\n";
  const auto experiment = choose_experiment(store, r.experiment, "plot");
  const LineChart chart = requested_chart(store, experiment, r);
  const std::filesystem::path file = r.out;
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path());
  std::ofstream stream(file);
  if (!(stream << chart.svg()) || !stream.flush()) {
    throw ReportError("plot: cannot write '" + file.string() + "'");
  }
  stream.close();
  std::cerr << "wrote " << file.string() << "\n";
  if (vm.count("no-png") == 0) convert_to_png(file);
  return 0;
}

}  // namespace stegolab::cli
