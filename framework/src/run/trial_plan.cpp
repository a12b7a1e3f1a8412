#include "run/trial_plan.hpp"

#include <algorithm>
#include <iomanip>
#include <vector>

#include "sweep/json_path.hpp"

namespace stegolab {

bool selected_by_only(const std::string& key, const std::string& only) {
  return only.empty() || key.find(only) != std::string::npos;
}

std::vector<const TrialSpec*> select_trials(const ExperimentSpec& spec, const std::string& only,
                                            const std::optional<ShardSelection>& shard) {
  std::vector<const TrialSpec*> selected;
  for (size_t position = 0; position < spec.trials.size(); ++position) {
    const TrialSpec& trial = spec.trials[position];
    if (shard && !shard->contains(position)) continue;
    if (selected_by_only(trial.key, only)) selected.push_back(&trial);
  }
  return selected;
}

void print_trial_plan(const ExperimentSpec& spec, const std::string& only, std::ostream& out,
                      const std::optional<ShardSelection>& shard) {
  // Columns: every path any point sets (includes may add paths beyond the axes).
  std::vector<std::string> paths;
  const std::vector<const TrialSpec*> selected = select_trials(spec, only, shard);
  for (const TrialSpec* trial : selected) {
    for (const auto& item : trial->sweep_point.items()) {
      if (std::find(paths.begin(), paths.end(), item.key()) == paths.end())
        paths.push_back(item.key());
    }
  }
  std::sort(paths.begin(), paths.end());

  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header = {"#", "seed"};
  header.insert(header.end(), paths.begin(), paths.end());
  header.push_back("key");
  rows.push_back(header);
  for (size_t i = 0; i < selected.size(); ++i) {
    const TrialSpec& trial = *selected[i];
    std::vector<std::string> row = {std::to_string(i + 1), std::to_string(trial.seed)};
    for (const auto& path : paths) {
      row.push_back(
          trial.sweep_point.contains(path) ? display_json_value(trial.sweep_point.at(path)) : "-");
    }
    row.push_back(trial.key);
    rows.push_back(row);
  }
  std::vector<size_t> widths(header.size(), 0);
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], row[c].size());
  }

  out << "experiment " << spec.name << " (" << spec.file << ", hash " << spec.hash
      << "): " << selected.size() << " of " << spec.trials.size() << " trials"
      << (shard ? " in shard " + shard->text() : "")
      << (only.empty() ? ""
                       : std::string(shard ? "," : "") + " selected by --only \"" + only + "\"")
      << "\n";
  for (const auto& row : rows) {
    out << " ";
    for (size_t c = 0; c < row.size(); ++c) {
      out << " "
          << (c + 1 == row.size() ? row[c] : row[c] + std::string(widths[c] - row[c].size(), ' '));
    }
    out << "\n";
  }
}

}  // namespace stegolab
