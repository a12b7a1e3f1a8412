// ShardSelection: which part of a sweep one process runs when several share
// it (`stegolab run --shard i/N`, one Slurm array task each). Every process
// writes its own database; `stegolab results merge` joins them afterwards.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace stegolab {

struct ShardSelection {
  int64_t index = 0;  // 0 <= index < count
  int64_t count = 1;

  // "i/N" (0 <= i < N). Anything else throws Error naming `option`.
  static ShardSelection parse(const std::string& text, const std::string& option = "--shard");

  // Whether the trial at `position` (0-based, in the sweep's stable order,
  // before --only filters) belongs to this shard: position mod N == i. The
  // N shards are disjoint and together hold every trial; neighbouring trials
  // (the repeats' first round, an axis's values) land on different shards,
  // so every shard gets a similar mix of cheap and expensive trials.
  bool contains(size_t position) const;

  // The number of trials of a sweep of `total` that this shard holds.
  int64_t size_of(int64_t total) const;

  std::string text() const;  // "i/N"
};

}  // namespace stegolab
