// A monotone piecewise cubic Hermite interpolant (PCHIP): through the points
// in order of x, a cubic between neighbours whose end slopes follow Fritsch
// and Carlson (1980) — zero at a local extremum, a weighted harmonic mean of
// the neighbouring secants elsewhere, SciPy's one-sided rule at the ends — so
// that monotone data give a monotone curve. Used for BD-rate.
#pragma once

#include <string>
#include <vector>

namespace stegolab {

class PiecewiseCubicHermite {
 public:
  // Throws Error naming `what` for fewer than 2 points or repeated x.
  static PiecewiseCubicHermite through(std::vector<double> x, std::vector<double> y,
                                       const std::string& what);

  // The exact integral over [low, high] (inside the points' range).
  double integral(double low, double high) const;

 private:
  std::vector<double> x_, y_, slope_;
};

}  // namespace stegolab
