// SweepPoint: one trial's place in a sweep: the swept values and the repeat.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace stegolab {

struct SweepPoint {
  nlohmann::json values = nlohmann::json::object();  // {"transform.plugin": "haar_dwt", ...}
  int64_t repeat = 0;
  std::string key;  // trial_key(values, repeat)
};

// The stable trial key: the point's "path=value" pairs sorted by path, joined
// by ",", then "#r<repeat>"; e.g. "strategy.params.precision=bf16,transform.plugin=haar_dwt#r0".
// A sweep without axes gives "#r0". Values are shown as in display_json_value,
// except strings holding ',', '=' or '"', which are quoted as JSON strings
// (a="x,b=y"#r0) so that no two points share a key.
std::string trial_key(const nlohmann::json& values, int64_t repeat);

}  // namespace stegolab
