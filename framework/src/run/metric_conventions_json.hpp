// The trainer's metric conventions as JSON. The metrics module and the
// result store each declare a MetricConvention struct of the same shape;
// passing them through JSON keeps the two headers out of one translation unit.
#pragma once

#include <nlohmann/json.hpp>

namespace stegolab {

// [{"metric", "description", "unit", "better"}, ...]; empty when the
// metrics module is not in this build.
nlohmann::json metric_conventions_json();

}  // namespace stegolab
