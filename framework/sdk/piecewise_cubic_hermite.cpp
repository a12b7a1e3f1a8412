#include "piecewise_cubic_hermite.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "stegolab/errors.hpp"

namespace stegolab {

namespace {

int sign(double value) { return (value > 0.0) - (value < 0.0); }

// The end slope from the two nearest secants (h0, d0 the end interval, h1, d1
// the next), kept between 0 and 3 d0 so the end piece stays monotone.
double end_slope(double h0, double h1, double d0, double d1) {
  const double slope = ((2.0 * h0 + h1) * d0 - h0 * d1) / (h0 + h1);
  if (sign(slope) != sign(d0)) return 0.0;
  if (sign(d0) != sign(d1) && std::abs(slope) > std::abs(3.0 * d0)) return 3.0 * d0;
  return slope;
}

}  // namespace

PiecewiseCubicHermite PiecewiseCubicHermite::through(std::vector<double> x, std::vector<double> y,
                                                     const std::string& what) {
  if (x.size() < 2 || x.size() != y.size()) {
    throw Error("piecewise cubic interpolation of the " + what + " curve needs at least 2 points");
  }
  std::vector<std::size_t> order(x.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
  PiecewiseCubicHermite curve;
  for (std::size_t i : order) {
    if (!curve.x_.empty() && !(x[i] > curve.x_.back())) {
      throw Error("piecewise cubic interpolation of the " + what + " curve: the quality " +
                  std::to_string(x[i]) + " appears twice");
    }
    curve.x_.push_back(x[i]);
    curve.y_.push_back(y[i]);
  }
  const std::size_t n = curve.x_.size();
  std::vector<double> h(n - 1), secant(n - 1);
  for (std::size_t k = 0; k + 1 < n; ++k) {
    h[k] = curve.x_[k + 1] - curve.x_[k];
    secant[k] = (curve.y_[k + 1] - curve.y_[k]) / h[k];
  }
  curve.slope_.assign(n, secant[0]);  // two points: the straight line
  if (n == 2) return curve;
  for (std::size_t k = 1; k + 1 < n; ++k) {
    if (sign(secant[k - 1]) * sign(secant[k]) <= 0) {
      curve.slope_[k] = 0.0;
      continue;
    }
    const double w1 = 2.0 * h[k] + h[k - 1], w2 = h[k] + 2.0 * h[k - 1];
    curve.slope_[k] = (w1 + w2) / (w1 / secant[k - 1] + w2 / secant[k]);
  }
  curve.slope_[0] = end_slope(h[0], h[1], secant[0], secant[1]);
  curve.slope_[n - 1] = end_slope(h[n - 2], h[n - 3], secant[n - 2], secant[n - 3]);
  return curve;
}

double PiecewiseCubicHermite::integral(double low, double high) const {
  double total = 0.0;
  for (std::size_t k = 0; k + 1 < x_.size(); ++k) {
    const double from = std::max(low, x_[k]), to = std::min(high, x_[k + 1]);
    if (!(to > from)) continue;
    // y_k + s m_k + s^2 c2 + s^3 c3 in s = x - x_k.
    const double h = x_[k + 1] - x_[k];
    const double secant = (y_[k + 1] - y_[k]) / h;
    const double c2 = (3.0 * secant - 2.0 * slope_[k] - slope_[k + 1]) / h;
    const double c3 = (slope_[k] + slope_[k + 1] - 2.0 * secant) / (h * h);
    auto antiderivative = [&](double s) {
      return s * (y_[k] + s * (slope_[k] / 2.0 + s * (c2 / 3.0 + s * c3 / 4.0)));
    };
    total += antiderivative(to - x_[k]) - antiderivative(from - x_[k]);
  }
  return total;
}

}  // namespace stegolab
