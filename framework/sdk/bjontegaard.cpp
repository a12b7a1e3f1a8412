#include "stegolab/bjontegaard.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "stegolab/errors.hpp"
#include "piecewise_cubic_hermite.hpp"

namespace stegolab {

namespace {

constexpr int kBjontegaardDegree = 3;

// Solves the square system a x = b in place by Gaussian elimination with
// partial pivoting; false when it is singular.
bool solve(std::vector<std::vector<double>>& a, std::vector<double>& b) {
  const std::size_t n = b.size();
  for (std::size_t col = 0; col < n; ++col) {
    std::size_t pivot = col;
    for (std::size_t row = col + 1; row < n; ++row) {
      if (std::abs(a[row][col]) > std::abs(a[pivot][col])) pivot = row;
    }
    if (std::abs(a[pivot][col]) < 1e-12) return false;
    std::swap(a[col], a[pivot]);
    std::swap(b[col], b[pivot]);
    for (std::size_t row = col + 1; row < n; ++row) {
      const double factor = a[row][col] / a[col][col];
      for (std::size_t k = col; k < n; ++k) a[row][k] -= factor * a[col][k];
      b[row] -= factor * b[col];
    }
  }
  for (std::size_t col = n; col-- > 0;) {
    for (std::size_t k = col + 1; k < n; ++k) b[col] -= a[col][k] * b[k];
    b[col] /= a[col][col];
  }
  return true;
}

// The integral of the polynomial c over [low, high].
double integral(const std::vector<double>& c, double low, double high) {
  double total = 0.0;
  for (std::size_t k = 0; k < c.size(); ++k) {
    const double power = static_cast<double>(k + 1);
    total += c[k] * (std::pow(high, power) - std::pow(low, power)) / power;
  }
  return total;
}

void check_curve(const RateQualityCurve& curve, const std::string& name, std::size_t minimum,
                 const std::string& method) {
  if (curve.rate.size() != curve.quality.size()) {
    throw Error("BD-rate: the " + name + " curve has " + std::to_string(curve.rate.size()) +
                " rates but " + std::to_string(curve.quality.size()) + " qualities");
  }
  if (curve.rate.size() < minimum) {
    throw Error("BD-rate: the " + name + " curve has " + std::to_string(curve.rate.size()) +
                " points; " + method + " needs at least " + std::to_string(minimum));
  }
  for (std::size_t i = 0; i < curve.rate.size(); ++i) {
    if (!(curve.rate[i] > 0.0) || !std::isfinite(curve.rate[i]) ||
        !std::isfinite(curve.quality[i])) {
      throw Error("BD-rate: the " + name + " curve's point " + std::to_string(i) +
                  " is not a positive finite rate with a finite quality");
    }
  }
}

std::vector<double> log_rates(const RateQualityCurve& curve) {
  std::vector<double> logs;
  for (double rate : curve.rate) logs.push_back(std::log10(rate));
  return logs;
}

struct Overlap {
  double low, high;
};

Overlap quality_overlap(const RateQualityCurve& anchor, const RateQualityCurve& test) {
  const auto [anchor_low, anchor_high] =
      std::minmax_element(anchor.quality.begin(), anchor.quality.end());
  const auto [test_low, test_high] = std::minmax_element(test.quality.begin(), test.quality.end());
  const Overlap overlap{std::max(*anchor_low, *test_low), std::min(*anchor_high, *test_high)};
  if (!(overlap.high > overlap.low)) {
    throw Error("BD-rate: the curves' qualities do not overlap (anchor " +
                std::to_string(*anchor_low) + " to " + std::to_string(*anchor_high) + ", test " +
                std::to_string(*test_low) + " to " + std::to_string(*test_high) + ")");
  }
  return overlap;
}

double bd_rate_from_mean_difference(double mean_log_rate_difference) {
  return 100.0 * (std::pow(10.0, mean_log_rate_difference) - 1.0);
}

}  // namespace

std::vector<double> fit_polynomial(const std::vector<double>& x, const std::vector<double>& y,
                                   int degree) {
  const auto terms = static_cast<std::size_t>(degree + 1);
  if (degree < 0 || x.size() != y.size() || x.size() < terms) {
    throw Error("polynomial fit: " + std::to_string(x.size()) + " points cannot determine degree " +
                std::to_string(degree));
  }
  // Centred and scaled abscissae keep the normal equations well conditioned
  // (qualities near 30-40 dB cubed would not be).
  double mean = 0.0, spread = 0.0;
  for (double value : x) mean += value / static_cast<double>(x.size());
  for (double value : x) spread = std::max(spread, std::abs(value - mean));
  if (spread == 0.0) spread = 1.0;
  std::vector<std::vector<double>> normal(terms, std::vector<double>(terms, 0.0));
  std::vector<double> right(terms, 0.0);
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double u = (x[i] - mean) / spread;
    for (std::size_t r = 0; r < terms; ++r) {
      right[r] += std::pow(u, static_cast<double>(r)) * y[i];
      for (std::size_t c = 0; c < terms; ++c) normal[r][c] += std::pow(u, static_cast<double>(r + c));
    }
  }
  if (!solve(normal, right)) {
    throw Error("polynomial fit: the points do not determine a polynomial of degree " +
                std::to_string(degree) + " (too few distinct abscissae)");
  }
  // Back from u = (x - mean) / spread to x: expand each (x - mean)^k / spread^k.
  std::vector<double> coefficients(terms, 0.0);
  for (std::size_t k = 0; k < terms; ++k) {
    double binomial = 1.0;
    for (std::size_t j = 0; j <= k; ++j) {
      // term of x^j in (x - mean)^k: C(k, j) (-mean)^(k - j)
      coefficients[j] += right[k] / std::pow(spread, static_cast<double>(k)) * binomial *
                         std::pow(-mean, static_cast<double>(k - j));
      binomial = binomial * static_cast<double>(k - j) / static_cast<double>(j + 1);
    }
  }
  return coefficients;
}

double bd_rate_percent(const RateQualityCurve& anchor, const RateQualityCurve& test) {
  const std::string method = "the cubic fit";
  check_curve(anchor, "anchor", kBjontegaardDegree + 1, method);
  check_curve(test, "test", kBjontegaardDegree + 1, method);
  const auto anchor_fit = fit_polynomial(anchor.quality, log_rates(anchor), kBjontegaardDegree);
  const auto test_fit = fit_polynomial(test.quality, log_rates(test), kBjontegaardDegree);
  const Overlap overlap = quality_overlap(anchor, test);
  const double mean_difference = (integral(test_fit, overlap.low, overlap.high) -
                                  integral(anchor_fit, overlap.low, overlap.high)) /
                                 (overlap.high - overlap.low);
  return bd_rate_from_mean_difference(mean_difference);
}

double bd_rate_pchip_percent(const RateQualityCurve& anchor, const RateQualityCurve& test) {
  const std::string method = "piecewise cubic interpolation";
  check_curve(anchor, "anchor", 2, method);
  check_curve(test, "test", 2, method);
  const Overlap overlap = quality_overlap(anchor, test);
  const auto anchor_curve = PiecewiseCubicHermite::through(anchor.quality, log_rates(anchor), "anchor");
  const auto test_curve = PiecewiseCubicHermite::through(test.quality, log_rates(test), "test");
  const double mean_difference = (test_curve.integral(overlap.low, overlap.high) -
                                  anchor_curve.integral(overlap.low, overlap.high)) /
                                 (overlap.high - overlap.low);
  return bd_rate_from_mean_difference(mean_difference);
}

}  // namespace stegolab
