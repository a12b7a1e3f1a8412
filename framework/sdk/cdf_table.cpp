#include "stegolab/cdf_table.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "stegolab/errors.hpp"

namespace stegolab {

namespace {

// Frequencies of the masses, each at least 1, summing to kRansTotal.
std::vector<int64_t> integer_frequencies(const std::vector<double>& masses) {
  double sum = 0.0;
  for (double mass : masses) sum += std::max(mass, 0.0);
  std::vector<int64_t> frequencies(masses.size());
  int64_t total = 0;
  for (std::size_t i = 0; i < masses.size(); ++i) {
    const double share = sum > 0.0 ? std::max(masses[i], 0.0) / sum : 1.0 / masses.size();
    frequencies[i] = std::max<int64_t>(1, std::llround(share * kRansTotal));
    total += frequencies[i];
  }
  // Rounding and the floor of 1 leave a small error; the most probable
  // symbols absorb it, where it changes the code length least.
  while (total != kRansTotal) {
    const auto largest = std::max_element(frequencies.begin(), frequencies.end());
    if (total > kRansTotal) {
      const int64_t taken = std::min<int64_t>(total - kRansTotal, *largest - 1);
      *largest -= taken;
      total -= taken;
    } else {
      *largest += kRansTotal - total;
      total = kRansTotal;
    }
  }
  return frequencies;
}

}  // namespace

CdfTable quantized_cdf(const std::vector<double>& pmf, double tail_mass, int32_t offset) {
  if (pmf.empty()) throw Error("CDF table: the probability mass function is empty");
  // Every symbol and the escape need a frequency of at least 1.
  if (pmf.size() + 1 > kRansTotal / 2) {
    throw Error("CDF table: " + std::to_string(pmf.size()) + " symbols do not fit a " +
                std::to_string(kRansPrecisionBits) + "-bit precision");
  }
  std::vector<double> masses = pmf;
  masses.push_back(tail_mass);
  for (double mass : masses) {
    if (!std::isfinite(mass)) throw Error("CDF table: a probability mass is not finite");
  }
  const std::vector<int64_t> frequencies = integer_frequencies(masses);
  CdfTable table;
  table.offset = offset;
  table.cdf.resize(masses.size() + 1);
  table.cdf[0] = 0;
  for (std::size_t i = 0; i < frequencies.size(); ++i) {
    table.cdf[i + 1] = table.cdf[i] + static_cast<uint32_t>(frequencies[i]);
  }
  return table;
}

}  // namespace stegolab
