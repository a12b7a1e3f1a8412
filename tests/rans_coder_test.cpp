// The rANS coder and its integer CDF tables: random symbols through random
// tables, tail (escaped) values included, must come back bit for bit.
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "stegolab/cdf_table.hpp"
#include "stegolab/errors.hpp"
#include "stegolab/rans_coder.hpp"

namespace {

using stegolab::CdfTable;

// A table over 1..400 symbols whose masses span many orders of magnitude,
// some exactly zero, with a random tail mass and offset.
CdfTable random_table(std::mt19937_64& rng) {
  std::uniform_int_distribution<int> length(1, 400);
  std::uniform_real_distribution<double> exponent(-12.0, 0.0);
  std::uniform_int_distribution<int> offset(-300, 300);
  std::vector<double> pmf(length(rng));
  for (double& mass : pmf) mass = rng() % 7 == 0 ? 0.0 : std::pow(10.0, exponent(rng));
  return stegolab::quantized_cdf(pmf, std::pow(10.0, exponent(rng)), offset(rng));
}

// Values mostly inside the table's alphabet, often just outside it, and
// sometimes at the ends of int32.
int32_t random_value(std::mt19937_64& rng, const CdfTable& table) {
  const int kind = static_cast<int>(rng() % 10);
  if (kind == 0) return rng() % 2 == 0 ? std::numeric_limits<int32_t>::min()
                                       : std::numeric_limits<int32_t>::max();
  if (kind <= 2) {
    std::uniform_int_distribution<int32_t> wide(-100000, 100000);
    return wide(rng);
  }
  std::uniform_int_distribution<int32_t> inside(table.offset - 2,
                                                table.offset + table.symbols() + 1);
  return inside(rng);
}

TEST(CdfTable, EverySymbolHasAFrequencyAndTheTotalIsExact) {
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 200; ++trial) {
    const CdfTable table = random_table(rng);
    ASSERT_EQ(table.cdf.front(), 0u);
    ASSERT_EQ(table.cdf.back(), stegolab::kRansTotal);
    for (int32_t i = 0; i <= table.symbols(); ++i) ASSERT_GE(table.frequency(i), 1u);
  }
}

TEST(CdfTable, FollowsTheMasses) {
  const CdfTable table = stegolab::quantized_cdf({0.25, 0.5, 0.25}, 0.0, -1);
  ASSERT_EQ(table.symbols(), 3);
  EXPECT_EQ(table.offset, -1);
  // The escape's frequency of 1 is taken from the most probable symbol.
  EXPECT_EQ(table.frequency(0), 16384u);
  EXPECT_EQ(table.frequency(1), 32767u);
  EXPECT_EQ(table.frequency(2), 16384u);
  EXPECT_EQ(table.frequency(3), 1u);
}

TEST(CdfTable, RefusesWhatItCannotCode) {
  EXPECT_THROW(stegolab::quantized_cdf({}, 0.1, 0), stegolab::Error);
  EXPECT_THROW(stegolab::quantized_cdf(std::vector<double>(40000, 1.0), 0.1, 0), stegolab::Error);
  EXPECT_THROW(stegolab::quantized_cdf({0.5, std::nan("")}, 0.1, 0), stegolab::Error);
}

TEST(RansCoder, RoundTripsRandomSymbolsThroughRandomTablesBitForBit) {
  std::mt19937_64 rng(2026);
  for (int trial = 0; trial < 60; ++trial) {
    std::vector<CdfTable> tables;
    for (int t = 0; t < 1 + trial % 5; ++t) tables.push_back(random_table(rng));
    std::vector<int32_t> values;
    std::vector<std::size_t> table_of;
    stegolab::RansEncoder encoder;
    const int count = static_cast<int>(rng() % 3000);
    for (int i = 0; i < count; ++i) {
      table_of.push_back(rng() % tables.size());
      values.push_back(random_value(rng, tables[table_of.back()]));
      encoder.encode(values.back(), tables[table_of.back()]);
    }
    const std::vector<uint8_t> stream = encoder.finish();
    stegolab::RansDecoder decoder(stream.data(), stream.size());
    for (int i = 0; i < count; ++i) {
      ASSERT_EQ(decoder.decode(tables[table_of[i]]), values[i]) << "trial " << trial << " i " << i;
    }
    EXPECT_EQ(decoder.remaining(), 0u) << "trial " << trial;
  }
}

TEST(RansCoder, CodesNearTheEntropy) {
  // 10000 symbols of a 1/2, 1/4, 1/4 source: 1.5 bits each, 15000 bits.
  const CdfTable table = stegolab::quantized_cdf({0.5, 0.25, 0.25}, 1e-9, 0);
  std::mt19937_64 rng(3);
  stegolab::RansEncoder encoder;
  for (int i = 0; i < 10000; ++i) {
    const uint64_t r = rng() % 4;
    encoder.encode(r < 2 ? 0 : static_cast<int32_t>(r - 1), table);
  }
  const double bits = 8.0 * static_cast<double>(encoder.finish().size());
  EXPECT_GT(bits, 14500.0);
  EXPECT_LT(bits, 15300.0);
}

TEST(RansCoder, ATruncatedStreamIsAnErrorNotGarbage) {
  const CdfTable table = stegolab::quantized_cdf({0.1, 0.2, 0.3, 0.4}, 1e-3, 0);
  stegolab::RansEncoder encoder;
  for (int i = 0; i < 5000; ++i) encoder.encode(i % 4, table);
  std::vector<uint8_t> stream = encoder.finish();
  stream.resize(stream.size() / 2);
  stegolab::RansDecoder decoder(stream.data(), stream.size());
  EXPECT_THROW(
      {
        for (int i = 0; i < 5000; ++i) decoder.decode(table);
      },
      stegolab::Error);
  EXPECT_THROW(stegolab::RansDecoder(stream.data(), 5), stegolab::Error);
}

}  // namespace
