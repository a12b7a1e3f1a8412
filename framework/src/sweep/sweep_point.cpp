#include "sweep/sweep_point.hpp"

#include "sweep/json_path.hpp"

namespace stegolab {

std::string trial_key(const nlohmann::json& values, int64_t repeat) {
  std::string key;
  // nlohmann objects iterate in sorted key order, which makes the key stable.
  for (const auto& item : values.items()) {
    key += (key.empty() ? "" : ",") + item.key() + "=" + display_json_value(item.value());
  }
  return key + "#r" + std::to_string(repeat);
}

}  // namespace stegolab
