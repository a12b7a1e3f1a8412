#include "sweep/sweep_definition.hpp"

#include <algorithm>

#include "spec/spec_error.hpp"
#include "stegolab/params.hpp"
#include "sweep/json_path.hpp"

namespace stegolab {

namespace {

std::string got(const nlohmann::json& value) { return ", got " + value.dump(); }

// include/exclude: an array of non-empty objects.
std::vector<nlohmann::json> parse_points(const nlohmann::json& sweep, const std::string& key,
                                         const std::string& file) {
  std::vector<nlohmann::json> points;
  if (!sweep.contains(key)) return points;
  const auto& list = sweep.at(key);
  const std::string path = "sweep." + key;
  if (!list.is_array()) fail_spec(file, path, "expected an array of {\"path\": value} objects" + got(list));
  for (size_t i = 0; i < list.size(); ++i) {
    if (!list[i].is_object() || list[i].empty()) {
      fail_spec(file, indexed_json_path(path, i),
           "expected a non-empty object {\"path\": value, ...}" + got(list[i]));
    }
    points.push_back(list[i]);
  }
  return points;
}

}  // namespace

namespace {

void check_sweep_keys(const nlohmann::json& sweep, const std::string& file) {
  const std::vector<std::string> known = {"axes", "include", "exclude", "repeats"};
  for (const auto& item : sweep.items()) {
    if (std::find(known.begin(), known.end(), item.key()) != known.end()) continue;
    const std::string suggestion = closest_name(item.key(), known);
    fail_spec(file, child_json_path("sweep", item.key()),
              "unknown key" + (suggestion.empty() ? "" : " (did you mean '" + suggestion + "'?)") +
                  "; expected one of: axes, include, exclude, repeats");
  }
}

std::vector<SweepAxis> parse_axes(const nlohmann::json& axes, const std::string& file) {
  if (!axes.is_object())
    fail_spec(file, "sweep.axes", "expected an object {\"path\": [values]}" + got(axes));
  std::vector<SweepAxis> parsed;
  for (const auto& item : axes.items()) {  // nlohmann objects iterate sorted by key
    const std::string path = child_json_path("sweep.axes", item.key());
    const auto& values = item.value();
    if (!values.is_array() || values.empty()) {
      fail_spec(file, path, "expected a non-empty array of values" + got(values));
    }
    SweepAxis axis{item.key(), {}};
    for (size_t i = 0; i < values.size(); ++i) {
      if (std::find(axis.values.begin(), axis.values.end(), values[i]) != axis.values.end()) {
        fail_spec(file, indexed_json_path(path, i), "duplicate value " + values[i].dump());
      }
      axis.values.push_back(values[i]);
    }
    parsed.push_back(std::move(axis));
  }
  return parsed;
}

// An exclude can only remove grid points: a path or value outside the grid
// is a typo that would otherwise silently exclude nothing.
void check_excludes(const SweepDefinition& definition, const std::string& file) {
  for (size_t i = 0; i < definition.exclude.size(); ++i) {
    for (const auto& item : definition.exclude[i].items()) {
      const std::string path = child_json_path(indexed_json_path("sweep.exclude", i), item.key());
      const SweepAxis* axis = definition.axis(item.key());
      if (!axis) {
        std::vector<std::string> names;
        for (const auto& a : definition.axes) names.push_back(a.path);
        const std::string suggestion = closest_name(item.key(), names);
        fail_spec(file, path,
                  "expected a path of sweep.axes" +
                      (suggestion.empty() ? "" : " (did you mean '" + suggestion + "'?)"));
      }
      if (std::find(axis->values.begin(), axis->values.end(), item.value()) == axis->values.end()) {
        std::string listing;
        for (const auto& value : axis->values) listing += (listing.empty() ? "" : ", ") + value.dump();
        fail_spec(file, path, "expected one of the axis values " + listing + got(item.value()));
      }
    }
  }
}

int64_t parse_repeats(const nlohmann::json& repeats, const std::string& file) {
  const bool integral = repeats.is_number_integer() ||
                        (repeats.is_number_float() &&
                         repeats.get<double>() ==
                             static_cast<double>(static_cast<int64_t>(repeats.get<double>())));
  if (!integral || repeats.get<double>() < 1) {
    fail_spec(file, "sweep.repeats", "expected a positive integer" + got(repeats));
  }
  return repeats.get<int64_t>();
}

}  // namespace

SweepDefinition SweepDefinition::parse(const nlohmann::json& sweep, const std::string& file) {
  SweepDefinition definition;
  if (sweep.is_null()) return definition;
  if (!sweep.is_object()) fail_spec(file, "sweep", "expected an object" + got(sweep));
  check_sweep_keys(sweep, file);
  if (sweep.contains("axes")) definition.axes = parse_axes(sweep.at("axes"), file);
  definition.include = parse_points(sweep, "include", file);
  definition.exclude = parse_points(sweep, "exclude", file);
  check_excludes(definition, file);
  if (sweep.contains("repeats")) definition.repeats = parse_repeats(sweep.at("repeats"), file);
  return definition;
}

const SweepAxis* SweepDefinition::axis(const std::string& path) const {
  for (const auto& a : axes) {
    if (a.path == path) return &a;
  }
  return nullptr;
}

}  // namespace stegolab
