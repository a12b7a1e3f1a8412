#include "report/line_chart.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "report/markup_escape.hpp"
#include "report/report_table.hpp"

namespace stegolab {

namespace {

constexpr double kWidth = 760, kHeight = 440;  // without the legend, which goes below
constexpr double kLeft = 80, kRight = 30, kTop = 50, kBottom = 60;  // margins
constexpr double kLegendLine = 18;
// Characters per legend line: the width after the key, at about 6.6 px per
// character of 12 px sans-serif.
constexpr std::size_t kLegendChars = static_cast<std::size_t>((kWidth - kLeft - 50) / 6.6);
const char* const kColors[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
                               "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", value);
  return text;
}

std::string tick_text(double value) {
  if (std::fabs(value) < 1e-12) value = 0.0;  // no "-0"
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

}  // namespace

std::vector<double> nice_ticks(double low, double high, int target_count) {
  if (!(high > low)) {  // one value: a unit-wide axis around it
    const double pad = low == 0.0 ? 1.0 : std::fabs(low) * 0.1;
    low -= pad;
    high += pad;
  }
  const double raw = (high - low) / std::max(1, target_count);
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double step = magnitude;
  for (const double factor : {1.0, 2.0, 5.0, 10.0}) {
    step = factor * magnitude;
    if (step >= raw) break;
  }
  std::vector<double> ticks;
  const double first = std::floor(low / step) * step;
  for (double tick = first; tick <= high + step * 0.999; tick += step) {
    ticks.push_back(std::round(tick / step) * step);
    if (tick >= high) break;
  }
  return ticks;
}

std::vector<double> integer_ticks(double low, double high, int target_count) {
  const std::vector<double> nice = nice_ticks(low, high, target_count);
  if (nice.size() < 2 || nice[1] - nice[0] >= 1.0) return nice;
  std::vector<double> ticks;
  for (double tick = std::floor(low); tick <= std::ceil(high); tick += 1.0) ticks.push_back(tick);
  if (ticks.size() < 2) ticks.push_back(ticks.front() + 1.0);
  return ticks;
}

std::vector<std::string> wrap_text(const std::string& text, std::size_t width) {
  std::vector<std::string> lines;
  std::string rest = text;
  width = std::max<std::size_t>(width, 8);
  while (rest.size() > width) {
    std::size_t cut = rest.rfind(", ", width);
    if (cut != std::string::npos && cut > 0) {
      cut += 1;  // keep the comma on this line
    } else {
      cut = rest.rfind(' ', width);
      if (cut == std::string::npos || cut == 0) cut = width;
    }
    lines.push_back(rest.substr(0, cut));
    rest = rest.substr(cut);
    while (!rest.empty() && rest.front() == ' ') rest.erase(0, 1);
  }
  if (!rest.empty() || lines.empty()) lines.push_back(rest);
  return lines;
}

namespace {

// The plotting area and the data-to-pixel mapping of one chart.
struct ChartFrame {
  std::vector<double> x_ticks, y_ticks;
  double plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
  double px(double x) const {
    return kLeft + (x - x_ticks.front()) / (x_ticks.back() - x_ticks.front()) * plot_w;
  }
  double py(double y) const {
    return kTop + plot_h - (y - y_ticks.front()) / (y_ticks.back() - y_ticks.front()) * plot_h;
  }
};

bool finite_point(const ChartSeries& line, size_t i) {
  return std::isfinite(line.x[i]) && std::isfinite(line.y[i]);
}

ChartFrame chart_frame(const LineChart& chart) {
  double x_low = INFINITY, x_high = -INFINITY, y_low = INFINITY, y_high = -INFINITY;
  for (const auto& line : chart.series) {
    for (size_t i = 0; i < line.x.size(); ++i) {
      if (!finite_point(line, i)) continue;
      x_low = std::min(x_low, line.x[i]);
      x_high = std::max(x_high, line.x[i]);
      y_low = std::min(y_low, line.y[i]);
      y_high = std::max(y_high, line.y[i]);
    }
  }
  if (!std::isfinite(x_low)) {
    throw ReportError("plot '" + chart.title + "': no finite points to draw");
  }
  ChartFrame frame;
  frame.x_ticks = chart.integer_x ? integer_ticks(x_low, x_high, 6) : nice_ticks(x_low, x_high, 6);
  frame.y_ticks = nice_ticks(y_low, y_high, 5);
  return frame;
}

void write_grid_and_axes(const ChartFrame& f, std::ostream& out) {
  out << "<g class=\"grid\" stroke=\"#e0e0e0\">\n";
  for (const double t : f.y_ticks) {
    out << "<line x1=\"" << number(kLeft) << "\" y1=\"" << number(f.py(t)) << "\" x2=\""
        << number(kLeft + f.plot_w) << "\" y2=\"" << number(f.py(t)) << "\"/>\n";
  }
  out << "</g>\n<g class=\"axes\" stroke=\"black\">\n"
      << "<line x1=\"" << number(kLeft) << "\" y1=\"" << number(kTop + f.plot_h) << "\" x2=\""
      << number(kLeft + f.plot_w) << "\" y2=\"" << number(kTop + f.plot_h) << "\"/>\n"
      << "<line x1=\"" << number(kLeft) << "\" y1=\"" << number(kTop) << "\" x2=\"" << number(kLeft)
      << "\" y2=\"" << number(kTop + f.plot_h) << "\"/>\n";
  for (const double t : f.x_ticks) {
    out << "<line x1=\"" << number(f.px(t)) << "\" y1=\"" << number(kTop + f.plot_h) << "\" x2=\""
        << number(f.px(t)) << "\" y2=\"" << number(kTop + f.plot_h + 5) << "\"/>\n";
  }
  for (const double t : f.y_ticks) {
    out << "<line x1=\"" << number(kLeft - 5) << "\" y1=\"" << number(f.py(t)) << "\" x2=\""
        << number(kLeft) << "\" y2=\"" << number(f.py(t)) << "\"/>\n";
  }
  out << "</g>\n<g class=\"tick-labels\">\n";
  for (const double t : f.x_ticks) {
    out << "<text x=\"" << number(f.px(t)) << "\" y=\"" << number(kTop + f.plot_h + 19)
        << "\" text-anchor=\"middle\">" << tick_text(t) << "</text>\n";
  }
  for (const double t : f.y_ticks) {
    out << "<text x=\"" << number(kLeft - 8) << "\" y=\"" << number(f.py(t) + 4)
        << "\" text-anchor=\"end\">" << tick_text(t) << "</text>\n";
  }
  out << "</g>\n";
}

void write_axis_labels(const LineChart& chart, const ChartFrame& f, std::ostream& out) {
  out << "<text class=\"x-label\" x=\"" << number(kLeft + f.plot_w / 2) << "\" y=\""
      << number(kHeight - 15) << "\" text-anchor=\"middle\">" << markup_escape(chart.x_label)
      << "</text>\n"
      << "<text class=\"y-label\" x=\"20\" y=\"" << number(kTop + f.plot_h / 2)
      << "\" text-anchor=\"middle\" transform=\"rotate(-90 20 " << number(kTop + f.plot_h / 2)
      << ")\">" << markup_escape(chart.y_label) << "</text>\n";
}

const char* series_color(size_t s) { return kColors[s % (sizeof kColors / sizeof kColors[0])]; }

// One line: its polyline and a dot per point (index s).
void write_series(const ChartSeries& line, size_t s, const ChartFrame& f, std::ostream& out) {
  const char* color = series_color(s);
  std::string points, dots;
  for (size_t i = 0; i < line.x.size(); ++i) {
    if (!finite_point(line, i)) continue;
    points += (points.empty() ? "" : " ") + number(f.px(line.x[i])) + "," + number(f.py(line.y[i]));
    dots += "<circle cx=\"" + number(f.px(line.x[i])) + "\" cy=\"" + number(f.py(line.y[i])) +
            "\" r=\"3\" fill=\"" + color + "\"/>\n";
  }
  out << "<polyline fill=\"none\" stroke=\"" << color << "\" stroke-width=\"2\" points=\"" << points
      << "\"><title>" << markup_escape(line.name) << "</title></polyline>\n"
      << dots;
}

// The legend below the plot, one entry per series, long names on several
// lines; returns the height it takes.
double write_legend(const std::vector<ChartSeries>& series, std::ostream& out) {
  double y = kHeight + 6;
  out << "<g class=\"legend\">\n";
  for (size_t s = 0; s < series.size(); ++s) {
    const std::vector<std::string> lines = wrap_text(series[s].name, kLegendChars);
    out << "<line x1=\"" << number(kLeft) << "\" y1=\"" << number(y) << "\" x2=\""
        << number(kLeft + 25) << "\" y2=\"" << number(y) << "\" stroke=\"" << series_color(s)
        << "\" stroke-width=\"2\"/>\n";
    for (const std::string& line : lines) {
      out << "<text x=\"" << number(kLeft + 32) << "\" y=\"" << number(y + 4) << "\">"
          << markup_escape(line) << "</text>\n";
      y += kLegendLine;
    }
  }
  out << "</g>\n";
  return y - kHeight;
}

}  // namespace

std::string LineChart::svg() const {
  const ChartFrame frame = chart_frame(*this);
  // The body first: the legend's height sets the document's.
  std::ostringstream body;
  body << "<text class=\"title\" x=\"" << number(kLeft + frame.plot_w / 2) << "\" y=\"28\" "
       << "text-anchor=\"middle\" font-size=\"16\">" << markup_escape(title) << "</text>\n";
  write_grid_and_axes(frame, body);
  write_axis_labels(*this, frame, body);
  for (size_t s = 0; s < series.size(); ++s) write_series(series[s], s, frame, body);
  const std::string height = number(kHeight + write_legend(series, body) + 6);
  std::ostringstream out;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << kWidth << "\" height=\"" << height
      << "\" viewBox=\"0 0 " << kWidth << " " << height
      << "\" font-family=\"sans-serif\" font-size=\"12\">\n"
      << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      << body.str() << "</svg>\n";
  return out.str();
}

}  // namespace stegolab
