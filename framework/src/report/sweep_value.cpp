#include "report/sweep_value.hpp"

#include <set>

namespace stegolab {

nlohmann::json sweep_value(const TrialRecord& trial, const std::string& path) {
  if (trial.sweep_point.is_object() && trial.sweep_point.contains(path)) {
    return trial.sweep_point.at(path);
  }
  const nlohmann::json* node = &trial.config;
  size_t begin = 0;
  while (true) {
    const size_t dot = path.find('.', begin);
    const std::string part = path.substr(begin, dot == std::string::npos ? dot : dot - begin);
    if (!node->is_object() || !node->contains(part)) return nullptr;
    node = &node->at(part);
    if (dot == std::string::npos) return *node;
    begin = dot + 1;
  }
}

std::vector<nlohmann::json> table_row_values(const TrialRecord& trial,
                                             const std::vector<std::string>& paths) {
  std::vector<nlohmann::json> values;
  for (const std::string& path : paths) values.push_back(sweep_value(trial, path));
  if (trial.kind != "trained" && !values.empty() && values.front().is_null()) {
    values.front() = trial.key;
  }
  return values;
}

std::string sweep_value_text(const nlohmann::json& value) {
  if (value.is_null()) return "-";
  if (value.is_string()) return value.get<std::string>();
  return value.dump();
}

std::vector<std::string> sweep_axes(const std::vector<TrialRecord>& trials) {
  std::set<std::string> axes;
  for (const auto& trial : trials) {
    if (!trial.sweep_point.is_object()) continue;
    for (const auto& item : trial.sweep_point.items()) axes.insert(item.key());
  }
  return {axes.begin(), axes.end()};
}

std::vector<std::string> varying_sweep_paths(const std::vector<TrialRecord>& trials,
                                             const std::string& except) {
  std::vector<std::string> varying;
  for (const std::string& path : sweep_axes(trials)) {
    if (path == except) continue;
    std::set<nlohmann::json> values;
    for (const TrialRecord& trial : trials) values.insert(sweep_value(trial, path));
    if (values.size() > 1) varying.push_back(path);
  }
  return varying;
}

}  // namespace stegolab
