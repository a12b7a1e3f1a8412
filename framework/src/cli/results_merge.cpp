#include "cli/results_merge.hpp"

#include <chrono>
#include <cstdio>

#include "stegolab/errors.hpp"
#include "store/database_merge.hpp"

namespace stegolab::cli {

int results_merge(const std::vector<std::string>& databases, const std::string& prefer,
                  std::ostream& out) {
  if (databases.size() < 2) {
    throw Error(
        "results merge: usage: stegolab results merge OUT.db SHARD.db... [--prefer newest]");
  }
  if (!prefer.empty() && prefer != "newest") {
    throw Error("results merge: --prefer: expected \"newest\", got \"" + prefer + "\"");
  }
  const std::filesystem::path output = databases.front();
  const std::vector<std::filesystem::path> sources(databases.begin() + 1, databases.end());
  MergeOptions options;
  options.prefer_newest = prefer == "newest";
  const auto start = std::chrono::steady_clock::now();
  const MergeSummary summary = merge_databases(output, sources, options);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (const auto& warning : summary.warnings) out << "warning: " << warning << "\n";
  char elapsed[32];
  std::snprintf(elapsed, sizeof elapsed, "%.2f s", seconds);
  out << "merged " << summary.sources << " database" << (summary.sources == 1 ? "" : "s")
      << " into " << output.string() << ": " << summary.added << " trials added, "
      << summary.replaced << " replaced, " << summary.kept << " already there"
      << (summary.written ? "" : " (nothing new: the file was left as it was)") << " (" << elapsed
      << ")\n";
  return 0;
}

}  // namespace stegolab::cli
