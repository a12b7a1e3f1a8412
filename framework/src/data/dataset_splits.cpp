#include "data/dataset_splits.hpp"

#include <cmath>
#include <string>

#include "stegolab/errors.hpp"
#include "stegolab/seeded_permutation.hpp"

namespace stegolab {

namespace {

constexpr uint64_t kSplitStream = 0x5350'4c49'54ULL;  // "SPLIT"

void check_fraction(double value, const char* name) {
  if (!(value >= 0.0 && value <= 1.0)) {
    throw Error(std::string("data.split.") + name + " must be in [0, 1], got " +
                std::to_string(value));
  }
}

void check_count(int64_t count, const char* name, int64_t size) {
  if (count == 1) {
    throw Error(std::string("data.split.") + name + " gives 1 image of " + std::to_string(size) +
                "; a split needs at least 2 (a task may compose a sample of several images)");
  }
}

}  // namespace

DatasetSplits make_dataset_splits(int64_t size, const DataSplit& fractions, uint64_t seed) {
  check_fraction(fractions.train, "train");
  check_fraction(fractions.val, "val");
  check_fraction(fractions.test, "test");
  const double total = fractions.train + fractions.val + fractions.test;
  if (total > 1.0 + 1e-9) {
    throw Error("data.split fractions add up to " + std::to_string(total) + " (> 1)");
  }
  const auto rounded = [size](double fraction) {
    return static_cast<int64_t>(std::llround(static_cast<double>(size) * fraction));
  };
  const int64_t train = std::min(size, rounded(fractions.train));
  const int64_t val = std::min(size - train, rounded(fractions.val));
  const int64_t rest = size - train - val;
  const int64_t test = total >= 1.0 - 1e-9 ? rest : std::min(rest, rounded(fractions.test));
  // A train fraction of 0: training has a source of its own (data.train).
  if (fractions.train > 0.0 && train < 2) {
    throw Error("data.split.train gives " + std::to_string(train) + " training images of " +
                std::to_string(size) + "; at least 2 are needed");
  }
  check_count(val, "val", size);
  check_count(test, "test", size);

  const torch::Tensor order =
      seeded_permutation(torch::arange(size, torch::kLong), derive_seed(seed, kSplitStream));
  DatasetSplits splits;
  splits.train = order.slice(0, 0, train).clone();
  splits.val = order.slice(0, train, train + val).clone();
  splits.test = order.slice(0, train + val, train + val + test).clone();
  return splits;
}

}  // namespace stegolab
