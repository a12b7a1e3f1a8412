// LineChart: a hand-written SVG line chart (axes, ticks, grid, legend,
// title), one <polyline> per series, no dependencies.
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

  // The whole SVG document. Throws ReportError when there is nothing to draw.
  std::string svg() const;
};

// Tick positions of a "nice" axis (steps of 1, 2 or 5 x 10^k) covering [low, high].
std::vector<double> nice_ticks(double low, double high, int target_count);

}  // namespace stegolab
