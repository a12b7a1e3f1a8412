#include "run/metric_conventions_json.hpp"

#if __has_include("metrics/metric_convention.hpp")
#include "metrics/metric_convention.hpp"
#endif

namespace stegolab {

nlohmann::json metric_conventions_json() {
  nlohmann::json list = nlohmann::json::array();
#if __has_include("metrics/metric_convention.hpp")
  for (const auto& c : metric_conventions()) {
    list.push_back({{"metric", c.metric}, {"description", c.description}, {"unit", c.unit}, {"better", c.better}});
  }
#endif
  return list;
}

}  // namespace stegolab
