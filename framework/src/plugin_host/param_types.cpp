#include "plugin_host/param_types.hpp"

#include <cstdint>

namespace stegolab {

bool json_matches_type(const nlohmann::json& value, const std::string& type) {
  if (type == "any") return true;
  if (type == "int") {
    return value.is_number_integer() ||
           (value.is_number_float() &&
            value.get<double>() == static_cast<double>(static_cast<int64_t>(value.get<double>())));
  }
  if (type == "number") return value.is_number();
  if (type == "bool") return value.is_boolean();
  if (type == "string") return value.is_string();
  if (type == "array") return value.is_array();
  if (type == "object") return value.is_object();
  return false;
}

std::string describe_type(const std::string& type) {
  if (type == "int") return "an integer";
  if (type == "number") return "a number";
  if (type == "bool") return "true or false";
  if (type == "string") return "a string";
  if (type == "array") return "an array";
  if (type == "object") return "an object";
  return type;
}

}  // namespace stegolab
