#include "stegolab/params.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace stegolab {

namespace {

std::string json_type_name(const nlohmann::json& value) {
  if (value.is_number_integer()) return "integer";
  if (value.is_number()) return "number";
  return value.type_name();
}

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string closest_name(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_distance = std::max<size_t>(2, word.size() / 3) + 1;
  for (const auto& candidate : candidates) {
    const size_t distance = edit_distance(word, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

Params::Params(std::string owner, nlohmann::json values)
    : owner_(std::move(owner)), values_(values.is_null() ? nlohmann::json::object() : std::move(values)) {
  if (!values_.is_object()) {
    throw ParamError(owner_ + ": parameters must be a JSON object, got " + json_type_name(values_));
  }
}

bool Params::has(const std::string& key) const { return values_.contains(key); }

void Params::fail(const std::string& key, const std::string& expected) const {
  std::ostringstream message;
  message << owner_ << ": parameter '" << key << "' must be " << expected;
  if (values_.contains(key)) {
    message << ", got " << values_.at(key).dump() << " (" << json_type_name(values_.at(key)) << ")";
  } else {
    // The plugin's own fallback is out of range: a plugin bug, said as such.
    message << ", but the plugin's default is not (a bug in the plugin)";
  }
  throw ParamError(message.str());
}

int64_t Params::get_int(const std::string& key, int64_t fallback) const {
  if (!has(key)) return fallback;
  const auto& value = values_.at(key);
  if (value.is_number_integer()) return value.get<int64_t>();
  // 4.0 is an integer a user may well write; 4.5 is not.
  if (value.is_number_float() && std::floor(value.get<double>()) == value.get<double>()) {
    return static_cast<int64_t>(value.get<double>());
  }
  fail(key, "an integer");
}

double Params::get_number(const std::string& key, double fallback) const {
  if (!has(key)) return fallback;
  const auto& value = values_.at(key);
  if (!value.is_number()) fail(key, "a number");
  return value.get<double>();
}

bool Params::get_bool(const std::string& key, bool fallback) const {
  if (!has(key)) return fallback;
  const auto& value = values_.at(key);
  if (!value.is_boolean()) fail(key, "true or false");
  return value.get<bool>();
}

std::string Params::get_string(const std::string& key, const std::string& fallback) const {
  if (!has(key)) return fallback;
  const auto& value = values_.at(key);
  if (!value.is_string()) fail(key, "a string");
  return value.get<std::string>();
}

std::string Params::get_choice(const std::string& key, const std::string& fallback,
                               std::initializer_list<const char*> allowed) const {
  const std::string value = get_string(key, fallback);
  std::string listing;
  for (const char* option : allowed) {
    if (value == option) return value;
    listing += (listing.empty() ? "\"" : ", \"") + std::string(option) + "\"";
  }
  fail(key, "one of " + listing);
}

const nlohmann::json& Params::get_json(const std::string& key) const {
  if (!has(key)) throw ParamError(owner_ + ": missing required parameter '" + key + "'");
  return values_.at(key);
}

int64_t Params::get_int_at_least(const std::string& key, int64_t fallback, int64_t minimum) const {
  const int64_t value = get_int(key, fallback);
  if (value < minimum) fail(key, "an integer >= " + std::to_string(minimum));
  return value;
}

double Params::get_number_in(const std::string& key, double fallback, double minimum,
                             double maximum) const {
  const double value = get_number(key, fallback);
  if (!(value >= minimum && value <= maximum)) {
    std::ostringstream range;
    range << "a number in [" << minimum << ", " << maximum << "]";
    fail(key, range.str());
  }
  return value;
}

void Params::reject_unknown(const std::vector<std::string>& known) const {
  for (const auto& item : values_.items()) {
    if (std::find(known.begin(), known.end(), item.key()) != known.end()) continue;
    std::string message = owner_ + ": unknown parameter '" + item.key() + "'";
    const std::string suggestion = closest_name(item.key(), known);
    if (!suggestion.empty()) message += " (did you mean '" + suggestion + "'?)";
    std::string listing;
    for (const auto& name : known) listing += (listing.empty() ? "" : ", ") + name;
    message += "; known: " + (listing.empty() ? std::string("none") : listing);
    throw ParamError(message);
  }
}

}  // namespace stegolab
