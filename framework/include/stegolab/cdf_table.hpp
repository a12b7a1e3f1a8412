// Integer cumulative frequency tables for the entropy coder, built from
// learned probability masses. Decoding depends on these integers only, so an
// encoder and a decoder that computed their floats differently still agree
// once both hold the same table.
#pragma once

#include <cstdint>
#include <vector>

#include "stegolab/export.hpp"

namespace stegolab {

// Probabilities are integers out of 2^kRansPrecisionBits.
constexpr int kRansPrecisionBits = 16;
constexpr uint32_t kRansTotal = 1u << kRansPrecisionBits;

// The coded alphabet of one table: symbol values offset .. offset + n - 1 at
// indices 0 .. n - 1, then an escape at index n for every value outside.
// cdf has n + 2 entries: cdf[0] = 0, cdf[n + 1] = kRansTotal, and every
// symbol, the escape included, has a frequency of at least 1.
struct CdfTable {
  std::vector<uint32_t> cdf;
  int32_t offset = 0;

  int32_t symbols() const { return static_cast<int32_t>(cdf.size()) - 2; }
  uint32_t start(int32_t index) const { return cdf[index]; }
  uint32_t frequency(int32_t index) const { return cdf[index + 1] - cdf[index]; }
};

// The table of `pmf` (the masses of values offset, offset + 1, ...) with
// `tail_mass` for everything outside, quantised to kRansTotal. Masses are
// clamped at 0 and rounded; no symbol gets frequency 0, and the rounding
// error is taken from (or given to) the most probable symbols. Throws Error
// for an empty pmf, more symbols than the precision can hold, or a
// non-finite mass.
STEGOLAB_VISIBLE CdfTable quantized_cdf(const std::vector<double>& pmf, double tail_mass,
                                        int32_t offset);

}  // namespace stegolab
