#include "sweep/shard_selection.hpp"

#include "stegolab/errors.hpp"

namespace stegolab {

namespace {

// A whole non-negative number of at most 9 digits, else -1 (std::stoll
// would accept "2x" and "+2").
int64_t parse_shard_number(const std::string& text) {
  if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != std::string::npos)
    return -1;
  return std::stoll(text);
}

}  // namespace

ShardSelection ShardSelection::parse(const std::string& text, const std::string& option) {
  const size_t slash = text.find('/');
  const int64_t index = slash == std::string::npos ? -1 : parse_shard_number(text.substr(0, slash));
  const int64_t count =
      slash == std::string::npos ? -1 : parse_shard_number(text.substr(slash + 1));
  if (index < 0 || count < 1) {
    throw Error(option + ": expected i/N with 0 <= i < N (e.g. 0/4), got \"" + text + "\"");
  }
  if (index >= count) {
    throw Error(option + ": shard " + std::to_string(index) + " of " + std::to_string(count) +
                " does not exist (shards count from 0 to " + std::to_string(count - 1) + ")");
  }
  return ShardSelection{index, count};
}

bool ShardSelection::contains(size_t position) const {
  return static_cast<int64_t>(position % static_cast<size_t>(count)) == index;
}

int64_t ShardSelection::size_of(int64_t total) const {
  return total <= index ? 0 : (total - index + count - 1) / count;
}

std::string ShardSelection::text() const {
  return std::to_string(index) + "/" + std::to_string(count);
}

}  // namespace stegolab
