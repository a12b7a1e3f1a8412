#include "batch_finder/batch_search.hpp"

#include <algorithm>

#include "stegolab/errors.hpp"

namespace stegolab {

BatchSearchResult search_largest_batch(const std::function<bool(int64_t)>& fits, int64_t limit) {
  if (limit < 1) throw Error("batch search: the largest batch to try must be at least 1");
  BatchSearchResult result;
  auto probe = [&](int64_t batch) {
    const bool ok = fits(batch);
    result.probes.emplace_back(batch, ok);
    return ok;
  };
  // good: largest batch known to fit; bad: smallest known not to (limit + 1: none known).
  int64_t good = 0;
  int64_t bad = limit + 1;
  for (int64_t batch = 1;; batch = std::min(batch * 2, limit)) {
    if (!probe(batch)) {
      bad = batch;
      break;
    }
    good = batch;
    if (batch == limit) break;
  }
  while (bad - good > 1) {
    const int64_t middle = good + (bad - good) / 2;
    if (probe(middle)) {
      good = middle;
    } else {
      bad = middle;
    }
  }
  result.largest = good;
  return result;
}

}  // namespace stegolab
