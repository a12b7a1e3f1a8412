#include "store/database_locator.hpp"

#include <algorithm>
#include <vector>

namespace stegolab {

std::filesystem::path locate_database(const std::string& option,
                                      const std::filesystem::path& working_dir) {
  if (!option.empty()) return option;
  const auto folder = working_dir / "results";
  std::vector<std::filesystem::path> found;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(folder, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".db") found.push_back(entry.path());
  }
  std::sort(found.begin(), found.end());
  if (found.size() == 1) return found.front();
  if (found.empty()) {
    throw StoreError("no results database given and none in '" + folder.string() +
                     "'; pass --db FILE");
  }
  std::string names;
  for (const auto& file : found) names += (names.empty() ? "" : ", ") + file.filename().string();
  throw StoreError("several results databases in '" + folder.string() + "' (" + names +
                   "); choose one with --db FILE");
}

ExperimentRecord choose_experiment(const ResultStore& store, const std::string& option,
                                   const std::string& command) {
  if (!option.empty()) return store.experiment(option);
  auto all = store.experiments();
  if (all.size() == 1) return std::move(all.front());
  std::string names;
  for (const auto& record : all) {
    names += (names.empty() ? "" : ", ") + record.name + " (id " + std::to_string(record.id) + ")";
  }
  throw StoreError(command + ": '" + store.file().string() + "' holds " +
                   std::to_string(all.size()) + " experiments" +
                   (names.empty() ? "" : " (" + names + ")") + "; choose one with --experiment");
}

}  // namespace stegolab
