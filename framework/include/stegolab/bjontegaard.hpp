// Bjøntegaard delta rate (G. Bjøntegaard, "Calculation of average PSNR
// differences between RD-curves", VCEG-M33, 2001): how much more or less
// rate one rate-quality curve needs than another for the same quality, on
// average over the qualities both reach. Generic: any rate (bits per pixel,
// bytes) and any quality where higher is better (PSNR, MS-SSIM in dB).
#pragma once

#include <vector>

#include "stegolab/export.hpp"

namespace stegolab {

// One curve: operating points (rate > 0, quality), in any order.
struct RateQualityCurve {
  std::vector<double> rate;
  std::vector<double> quality;
};

// BD-rate of `test` against `anchor`, in percent (negative: `test` needs
// less rate). Each curve's log10(rate) is fitted by least squares with a
// cubic polynomial in quality (an exact interpolation with 4 points); both
// fits are integrated over the overlap [max of the minimum qualities, min
// of the maximum qualities]; with D = (integral of test - integral of
// anchor) / overlap width, the result is 100 * (10^D - 1).
// Throws Error when a curve has fewer than 4 points, a rate <= 0 or a
// non-finite value, repeated qualities that leave the fit undetermined, or
// when the curves' quality ranges do not overlap.
STEGOLAB_VISIBLE double bd_rate_percent(const RateQualityCurve& anchor,
                                        const RateQualityCurve& test);

// The same average with each curve's log10(rate) interpolated piecewise:
// a cubic Hermite piece between neighbouring qualities, with the slopes of
// Fritsch and Carlson (1980) that keep monotone data monotone (PCHIP, as in
// the JCT-VC common-test-conditions sheet and SciPy's PchipInterpolator).
// One cubic through all points can swing far outside them when a curve
// flattens (two trade-offs of nearly the same quality); PCHIP cannot.
// Throws Error like bd_rate_percent, but needs only 2 points per curve, and
// refuses repeated qualities.
STEGOLAB_VISIBLE double bd_rate_pchip_percent(const RateQualityCurve& anchor,
                                              const RateQualityCurve& test);

// The least-squares polynomial of `degree` through (x, y), coefficients
// from the constant term up: y ~ c[0] + c[1] x + ... Throws Error when the
// points do not determine it.
STEGOLAB_VISIBLE std::vector<double> fit_polynomial(const std::vector<double>& x,
                                                    const std::vector<double>& y, int degree);

}  // namespace stegolab
