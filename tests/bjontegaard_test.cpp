// BD-rate (Bjøntegaard, VCEG-M33) against cases computed by hand: curves
// whose log-rates are polynomials of degree <= 3 are fitted exactly, so the
// integral of their difference over the overlap is known in closed form.
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "stegolab/bjontegaard.hpp"
#include "stegolab/errors.hpp"

namespace stegolab {
namespace {

// Points (quality, 10^log_rate(quality)).
RateQualityCurve curve(const std::vector<double>& qualities, double (*log_rate)(double)) {
  RateQualityCurve c;
  for (double q : qualities) {
    c.quality.push_back(q);
    c.rate.push_back(std::pow(10.0, log_rate(q)));
  }
  return c;
}

TEST(Bjontegaard, HalfTheRateEverywhereIsMinusFiftyPercent) {
  RateQualityCurve anchor{{0.2, 0.35, 0.6, 1.0, 1.6}, {30, 32, 34, 36, 38}};
  RateQualityCurve test = anchor;
  for (double& rate : test.rate) rate /= 2.0;
  // log10 rates differ by log10(1/2) at every fitted point: 10^D - 1 = -1/2.
  EXPECT_NEAR(bd_rate_percent(anchor, test), -50.0, 1e-9);
  EXPECT_NEAR(bd_rate_percent(test, anchor), 100.0, 1e-9);
}

TEST(Bjontegaard, IntegratesOnlyOverTheOverlap) {
  // anchor: log10 R = Q/10 - 4 on [30, 39]; test: the same - 0.1 + (Q - 35)/100
  // on [32, 41]. Overlap [32, 39], where (Q - 35)/100 averages 0.005, so
  // D = -0.095 and BD-rate = 100 (10^-0.095 - 1) = -19.6474 %.
  const auto anchor = curve({30, 33, 36, 39}, [](double q) { return q / 10 - 4; });
  const auto test =
      curve({32, 35, 38, 41}, [](double q) { return q / 10 - 4 - 0.1 + (q - 35) / 100; });
  EXPECT_NEAR(bd_rate_percent(anchor, test), 100.0 * (std::pow(10.0, -0.095) - 1.0), 1e-8);
  EXPECT_NEAR(bd_rate_percent(anchor, test), -19.6474, 1e-4);
}

TEST(Bjontegaard, FitsACubicExactly) {
  // u = (Q - 30) / 10 on [0, 1]; anchor log10 R = u^3, test = u^3 - u^2 at
  // other qualities. D = -(mean of u^2 over [0, 1]) = -1/3: 100 (10^(-1/3) - 1)
  // = -53.5841... %.
  const auto anchor = curve({30, 34, 37, 40}, [](double q) { return std::pow((q - 30) / 10, 3); });
  const auto test = curve({30, 33, 36, 38, 40}, [](double q) {
    const double u = (q - 30) / 10;
    return u * u * u - u * u;
  });
  EXPECT_NEAR(bd_rate_percent(anchor, test), -53.5841, 1e-4);
}

// PCHIP reproduces a straight line exactly (every slope is the secant), so
// the linear case above gives the same BD-rate.
TEST(Bjontegaard, PiecewiseCubicAgreesWithTheCubicOnStraightLogRates) {
  const auto anchor = curve({30, 33, 36, 39}, [](double q) { return q / 10 - 4; });
  const auto test =
      curve({32, 35, 38, 41}, [](double q) { return q / 10 - 4 - 0.1 + (q - 35) / 100; });
  EXPECT_NEAR(bd_rate_pchip_percent(anchor, test), 100.0 * (std::pow(10.0, -0.095) - 1.0), 1e-8);
}

TEST(Bjontegaard, PiecewiseCubicMatchesAHandComputation) {
  // Test log-rates 0, 1, 1 at qualities 0, 1, 2 against a flat anchor (0).
  // Secants 1 and 0: the middle slope is 0 (an extremum of the secants'
  // signs); the first end slope ((2 + 1) 1 - 0) / 2 = 1.5, the last
  // (0 - 1) / 2 < 0 against a flat secant, so 0. First piece 1.5 s - 0.5 s^3
  // (integral 0.75 - 0.125 = 0.625), second piece flat at 1 (integral 1):
  // D = 1.625 / 2 = 13 / 16.
  const RateQualityCurve anchor{{1, 1, 1}, {0, 1, 2}};
  const RateQualityCurve test{{1, 10, 10}, {0, 1, 2}};
  EXPECT_NEAR(bd_rate_pchip_percent(anchor, test), 100.0 * (std::pow(10.0, 13.0 / 16.0) - 1.0), 1e-9);
  // The cubic fit through the same three points cannot even be made.
  EXPECT_THROW(bd_rate_percent(anchor, test), Error);
}

// A curve that flattens at the top (the last two trade-offs reach nearly the
// same quality) throws one cubic far above its own points; PCHIP stays
// between them. The curve is the 768x512 codec of docs/compression.md.
TEST(Bjontegaard, PiecewiseCubicIsNotThrownOffByAFlatteningCurve) {
  const RateQualityCurve codec{{0.319, 0.476, 0.577, 0.646}, {22.355, 23.583, 23.930, 23.975}};
  RateQualityCurve half = codec;
  for (double& rate : half.rate) rate /= 2.0;
  EXPECT_NEAR(bd_rate_pchip_percent(codec, half), -50.0, 1e-9);
  // Against a straight curve through the codec's two ends, the codec's own
  // points all lie at or below it in rate, so its BD-rate cannot be positive...
  const RateQualityCurve chord{{0.319, 0.646}, {22.355, 23.975}};
  EXPECT_LT(bd_rate_pchip_percent(chord, codec), 0.0);
  // ...while the cubic fit's swing makes it so.
  const auto cubic = fit_polynomial(codec.quality, {std::log10(0.319), std::log10(0.476),
                                                    std::log10(0.577), std::log10(0.646)}, 3);
  const double at = 22.8;
  const double fitted = cubic[0] + at * (cubic[1] + at * (cubic[2] + at * cubic[3]));
  EXPECT_GT(std::pow(10.0, fitted), 0.646);  // above every point of the curve
}

TEST(Bjontegaard, PiecewiseCubicRefusesRepeatedQualities) {
  const RateQualityCurve anchor{{0.1, 0.2, 0.4}, {28, 30, 32}};
  const RateQualityCurve repeated{{0.1, 0.2, 0.3}, {29, 30, 30}};
  try {
    bd_rate_pchip_percent(anchor, repeated);
    FAIL() << "repeated qualities were accepted";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("appears twice"), std::string::npos) << error.what();
  }
}

TEST(Bjontegaard, LeastSquaresFitOfALineThroughNoisyPoints) {
  // y = 1 + 2x with residuals +e, -e, -e, +e at x = 0, 1, 2, 3: they are
  // orthogonal to 1 and x, so the least-squares line is exactly 1 + 2x.
  const double e = 0.25;
  const auto c = fit_polynomial({0, 1, 2, 3}, {1 + e, 3 - e, 5 - e, 7 + e}, 1);
  ASSERT_EQ(c.size(), 2u);
  EXPECT_NEAR(c[0], 1.0, 1e-12);
  EXPECT_NEAR(c[1], 2.0, 1e-12);
}

std::string failure(const RateQualityCurve& anchor, const RateQualityCurve& test) {
  try {
    bd_rate_percent(anchor, test);
  } catch (const Error& error) {
    return error.what();
  }
  return "";
}

TEST(Bjontegaard, RefusesTooFewPointsAndDisjointCurves) {
  const RateQualityCurve four{{0.1, 0.2, 0.4, 0.8}, {28, 30, 32, 34}};
  const RateQualityCurve three{{0.1, 0.2, 0.4}, {28, 30, 32}};
  const RateQualityCurve higher{{0.1, 0.2, 0.4, 0.8}, {40, 42, 44, 46}};
  const RateQualityCurve repeated{{0.1, 0.2, 0.4, 0.8}, {30, 30, 32, 32}};
  EXPECT_NE(failure(four, three).find("at least 4"), std::string::npos);
  EXPECT_NE(failure(four, higher).find("do not overlap"), std::string::npos);
  EXPECT_NE(failure(four, repeated).find("do not determine"), std::string::npos);
}

}  // namespace
}  // namespace stegolab
