// The HTML report's rate-quality curves after a table: the points, the
// BD-rates and the chart, as `stegolab report` prints them and `stegolab plot
// --rate --quality` draws them.
#include <sstream>

#include "report/html_report.hpp"
#include "report/html_table.hpp"
#include "report/markup_escape.hpp"
#include "report/rate_quality_report.hpp"
#include "report/rate_quality_sections.hpp"

namespace stegolab {

namespace {

std::string curves_html(const RateQualityReport& curves, const ReportSpec& spec) {
  std::ostringstream out;
  out << "<h4>" << markup_escape(spec.quality) << " against " << markup_escape(spec.rate)
      << "</h4>\n"
      << html_table(curves.points);
  if (!curves.bd_rate.row_keys.empty()) {
    out << html_table(curves.bd_rate)
        << "<p class=\"note\">BD-rate (Bjøntegaard): the mean difference in rate at equal "
           "quality over the qualities both curves reach, cubic fits of log rate; negative: "
           "less rate than the anchor.</p>\n";
  }
  LineChart chart;
  chart.series = curves.chart_series();
  chart.title = spec.quality + " against " + spec.rate;
  chart.x_label = spec.rate;
  chart.y_label = spec.quality;
  if (!chart.series.empty()) {
    out << "<div class=\"charts\"><figure>" << inline_svg(chart) << "</figure></div>\n";
  }
  return out.str();
}

}  // namespace

std::string html_rate_quality(const ResultStore& store, const ExperimentRecord& experiment,
                              const NamedReport& report, std::vector<std::string>& warnings) {
  std::string html;
  for (const ReportSpec& spec :
       rate_quality_specs(store, experiment, report.spec, report.task_curves)) {
    const std::string what = "curves of " + spec.rate + " and " + spec.quality;
    try {
      const RateQualityReport curves = RateQualityReport::build(store, experiment, spec);
      for (const std::string& warning : curves.warnings) {
        warnings.push_back("BD-rate of " + warning);
      }
      html += curves_html(curves, spec);
    } catch (const ReportError& error) {
      warnings.push_back(what + ": " + error.what());
      html += "<p class=\"warning\">" + markup_escape(what + ": " + error.what()) + "</p>\n";
    }
  }
  return html;
}

}  // namespace stegolab
