#include "sweep/sweep_order.hpp"

#include "sweep/json_path.hpp"
#include "sweep/sweep_definition.hpp"
#include "sweep/sweep_expansion.hpp"

namespace stegolab {

std::vector<std::string> sweep_order(const nlohmann::json& document) {
  std::vector<std::string> keys;
  if (!document.is_object()) return keys;
  try {
    const nlohmann::json sweep =
        document.contains("sweep") ? document.at("sweep") : nlohmann::json::object();
    const SweepDefinition definition = SweepDefinition::parse(sweep, "");
    const auto base_value = [&](const std::string& path) -> nlohmann::json {
      const nlohmann::json* value = find_json_path(document, path);
      return value ? *value : nlohmann::json();
    };
    for (const SweepPoint& point : expand_sweep(definition, base_value)) keys.push_back(point.key);
  } catch (const std::exception&) {
    keys.clear();  // the caller keeps the order it has
  }
  return keys;
}

}  // namespace stegolab
