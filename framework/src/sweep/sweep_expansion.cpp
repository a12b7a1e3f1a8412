#include "sweep/sweep_expansion.hpp"

#include <algorithm>

namespace stegolab {

namespace {

bool matches(const nlohmann::json& point, const nlohmann::json& pattern) {
  for (const auto& item : pattern.items()) {
    const auto found = point.find(item.key());
    if (found == point.end() || *found != item.value()) return false;
  }
  return true;
}

}  // namespace

std::vector<SweepPoint> expand_sweep(const SweepDefinition& sweep, const BaseValueLookup& base_value) {
  std::vector<nlohmann::json> points{nlohmann::json::object()};
  for (const auto& axis : sweep.axes) {
    std::vector<nlohmann::json> grown;
    grown.reserve(points.size() * axis.values.size());
    for (const auto& point : points) {
      for (const auto& value : axis.values) {
        nlohmann::json next = point;
        next[axis.path] = value;
        grown.push_back(std::move(next));
      }
    }
    points = std::move(grown);
  }

  points.erase(std::remove_if(points.begin(), points.end(),
                              [&](const nlohmann::json& point) {
                                return std::any_of(sweep.exclude.begin(), sweep.exclude.end(),
                                                   [&](const nlohmann::json& pattern) {
                                                     return matches(point, pattern);
                                                   });
                              }),
               points.end());

  for (const auto& include : sweep.include) {
    nlohmann::json point = include;
    for (const auto& axis : sweep.axes) {
      if (!point.contains(axis.path)) point[axis.path] = base_value(axis.path);
    }
    if (std::find(points.begin(), points.end(), point) == points.end()) points.push_back(point);
  }

  std::vector<SweepPoint> expanded;
  expanded.reserve(points.size() * static_cast<size_t>(sweep.repeats));
  for (int64_t repeat = 0; repeat < sweep.repeats; ++repeat) {
    for (const auto& point : points) {
      expanded.push_back(SweepPoint{point, repeat, trial_key(point, repeat)});
    }
  }
  return expanded;
}

}  // namespace stegolab
