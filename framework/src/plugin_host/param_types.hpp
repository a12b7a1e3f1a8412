// The JSON types a ParamDoc names ("int", "number", ...): whether a value is
// of one, and how messages say it. Shared by the registry's parameter checks
// and the spec's checks of task settings written elsewhere in a file.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace stegolab {

// "any" accepts everything; "int" also accepts an integral float (4.0).
bool json_matches_type(const nlohmann::json& value, const std::string& type);

// "an integer", "a number", "true or false", ...
std::string describe_type(const std::string& type);

}  // namespace stegolab
