// LineChart: a hand-written SVG line chart (axes, ticks, grid, title, and
// the legend below the plot, long names wrapped, so any legend fits), one
// <polyline> per series, no dependencies.
#pragma once

#include <string>
#include <vector>

namespace stegolab {

struct ChartSeries {
  std::string name;          // legend text
  std::vector<double> x, y;  // same length, sorted by x
};

class LineChart {
 public:
  std::string title, x_label, y_label;
  std::vector<ChartSeries> series;
  bool integer_x = false;  // x counts something (epochs): whole-number ticks only

  // The whole SVG document. Throws ReportError when there is nothing to draw.
  std::string svg() const;
};

// Tick positions of a "nice" axis (steps of 1, 2 or 5 x 10^k) covering [low, high].
std::vector<double> nice_ticks(double low, double high, int target_count);
// The same with steps of at least 1, for an axis that counts.
std::vector<double> integer_ticks(double low, double high, int target_count);

// `text` cut into lines of at most `width` characters, at ", " or spaces
// where it can be; a longer word is cut where it must.
std::vector<std::string> wrap_text(const std::string& text, std::size_t width);

}  // namespace stegolab
