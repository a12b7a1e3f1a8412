#include "sweep/sweep_point.hpp"

#include "sweep/json_path.hpp"

namespace stegolab {

namespace {

// A string that holds the key's separators (or a quote, which starts a
// quoted value) is written as a JSON string, so that {"a": "x,b=y"} and
// {"a": "x", "b": "y"} get different keys. Every other value keeps its
// plain spelling: the keys of existing databases must not change.
std::string key_value(const nlohmann::json& value) {
  if (value.is_string() && value.get<std::string>().find_first_of(",=\"") != std::string::npos) {
    return value.dump();
  }
  return display_json_value(value);
}

}  // namespace

std::string trial_key(const nlohmann::json& values, int64_t repeat) {
  std::string key;
  // nlohmann objects iterate in sorted key order, which makes the key stable.
  for (const auto& item : values.items()) {
    key += (key.empty() ? "" : ",") + item.key() + "=" + key_value(item.value());
  }
  return key + "#r" + std::to_string(repeat);
}

}  // namespace stegolab
