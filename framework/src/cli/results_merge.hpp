// `stegolab results merge OUT.db SHARD.db... [--prefer newest]`.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace stegolab::cli {

// `databases`: OUT then the shards. `prefer`: "" or "newest". Prints what it
// did on `out`; throws Error (one line) when it refuses.
int results_merge(const std::vector<std::string>& databases, const std::string& prefer,
                  std::ostream& out);

}  // namespace stegolab::cli
