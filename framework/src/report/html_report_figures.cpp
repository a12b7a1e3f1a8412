// The HTML report's pictures: curves as inline SVG, galleries as inline data: PNGs.
#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "report/base64.hpp"
#include "report/html_report.hpp"
#include "report/line_chart.hpp"
#include "report/markup_escape.hpp"
#include "report/plot_series.hpp"
#include "report/sweep_value.hpp"
#include "report/throughput_field.hpp"

namespace stegolab {

std::string inline_svg(const LineChart& chart) {
  std::string svg = chart.svg();
  if (svg.rfind("<?xml", 0) == 0) svg.erase(0, svg.find('\n') + 1);
  return svg;
}

namespace {

// The training loss, then every table metric that has per-epoch rows.
std::vector<std::string> curve_metrics(const std::vector<NamedReport>& tables) {
  std::vector<std::string> metrics = {"loss"};
  for (const NamedReport& report : tables) {
    for (const std::string& metric : report.spec.metrics) {
      if (is_throughput_field(metric)) continue;
      if (std::find(metrics.begin(), metrics.end(), metric) == metrics.end()) {
        metrics.push_back(metric);
      }
    }
  }
  return metrics;
}

// One chart, or "" when there is nothing to draw (a metric recorded only at
// the end, never per epoch: its table says all there is).
std::string epoch_chart(const ResultStore& store, const ExperimentRecord& experiment,
                        const std::string& metric) {
  // Validation where the metric is measured there, else training (the loss).
  for (const Split split : {Split::val, Split::train}) {
    LineChart chart;
    try {
      chart.series = metric_by_epoch(store, experiment, metric, split, "");
    } catch (const ReportError&) {
      continue;
    }
    if (chart.series.empty()) continue;
    chart.title = metric + " (" + split_name(split) + ")";
    chart.x_label = "epoch";
    chart.y_label = metric;
    chart.integer_x = true;
    return "<figure>" + inline_svg(chart) + "</figure>\n";
  }
  return "";
}

}  // namespace

std::string html_curves_section(const ResultStore& store, const ExperimentRecord& experiment,
                                const std::vector<NamedReport>& tables,
                                std::vector<std::string>& warnings) {
  std::ostringstream charts;
  for (const std::string& metric : curve_metrics(tables)) {
    try {
      charts << epoch_chart(store, experiment, metric);
    } catch (const ReportError& error) {
      warnings.push_back("curve of " + metric + ": " + error.what());
    }
  }
  const std::vector<TrialRecord> trials = store.trials(experiment.id);
  const std::vector<std::string> axes = sweep_axes(trials);
  if (std::find(axes.begin(), axes.end(), "train.batch_size") != axes.end()) {
    try {
      LineChart chart;
      chart.series =
          metric_by_sweep_value(store, experiment, "train.batch_size", "train_images_per_s", "");
      chart.title = "training throughput against batch size";
      chart.x_label = "train.batch_size";
      chart.y_label = "train_images_per_s";
      if (!chart.series.empty()) charts << "<figure>" << inline_svg(chart) << "</figure>\n";
    } catch (const ReportError& error) {
      warnings.push_back("throughput curve: " + std::string(error.what()));
    }
  }
  const std::string body = charts.str();
  if (body.empty()) return "";
  return "<section id=\"curves\"><h2>Curves</h2>\n<p class=\"note\">One line per trial group "
         "(the sweep values that differ), the mean over repeats; epochs count from 1.</p>\n"
         "<div class=\"charts\">\n" +
         body + "</div></section>\n";
}

namespace {

std::string inline_png(const GalleryImage& image, std::vector<std::string>& warnings) {
  std::ifstream file(image.path, std::ios::binary);
  std::ostringstream bytes;
  if (!file || !(bytes << file.rdbuf())) {
    warnings.push_back("gallery picture missing: " + image.path.string());
    return "<span class=\"warning\">missing</span>";
  }
  return "<img alt=\"" + markup_escape(image.caption) + "\" width=\"" +
         std::to_string(image.width) + "\" height=\"" + std::to_string(image.height) +
         "\" src=\"data:image/png;base64," + base64_encode(bytes.str()) + "\">";
}

using TrialGallery = std::pair<TrialRecord, std::vector<GalleryImage>>;

// Sample `sample` of every trial, one row each, the panels as columns.
std::string sample_table(const std::vector<TrialGallery>& galleries, int64_t sample,
                         const std::vector<std::string>& varying,
                         std::vector<std::string>& warnings) {
  std::ostringstream out;
  bool header = false;
  for (const auto& [trial, images] : galleries) {
    std::vector<const GalleryImage*> row;
    for (const GalleryImage& image : images) {
      if (image.sample == sample) row.push_back(&image);
    }
    if (row.empty()) continue;
    if (!header) {
      out << "<table class=\"gallery\"><caption>" << split_name(row.front()->split) << " sample "
          << sample + 1 << "</caption><thead><tr><th>trial</th>";
      for (const GalleryImage* image : row)
        out << "<th>" << markup_escape(image->caption) << "</th>";
      out << "</tr></thead><tbody>\n";
      header = true;
    }
    out << "<tr><th class=\"row\">" << markup_escape(trial_label(trial, varying)) << "</th>";
    for (const GalleryImage* image : row)
      out << "<td>" << inline_png(*image, warnings) << "</td>";
    out << "</tr>\n";
  }
  if (header) out << "</tbody></table>\n";
  return out.str();
}

}  // namespace

std::string html_galleries_section(const ResultStore& store, const ExperimentRecord& experiment,
                                   std::vector<std::string>& warnings) {
  const std::vector<TrialRecord> trials = store.trials(experiment.id);
  std::vector<TrialGallery> galleries;
  std::set<int64_t> samples;
  for (const TrialRecord& trial : trials) {
    std::vector<GalleryImage> images = store.gallery(trial.id);
    if (images.empty()) continue;
    for (const GalleryImage& image : images) samples.insert(image.sample);
    galleries.emplace_back(trial, std::move(images));
  }
  if (galleries.empty()) return "";
  const std::vector<std::string> varying = varying_sweep_paths(trials);
  std::ostringstream out;
  out << "<section id=\"galleries\"><h2>Galleries</h2>\n<p class=\"note\">The same samples "
         "for every trial, as 8-bit PNGs written when the trial ended (amplified residuals "
         "clipped at 255).</p>\n";
  for (const int64_t sample : samples) out << sample_table(galleries, sample, varying, warnings);
  out << "</section>\n";
  return out.str();
}

}  // namespace stegolab
