// Typed access to a plugin's JSON parameters.
//
// The host validates parameters against the plugin's ParamDoc list before the
// factory runs (unknown keys, wrong JSON types) and fills in documented
// defaults, so a factory normally only reads. Params still checks every read,
// so a plugin used without the host (in a test) gets the same clear errors.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "stegolab/errors.hpp"
#include "stegolab/export.hpp"

namespace stegolab {

class STEGOLAB_VISIBLE Params {
 public:
  // owner names the component in error messages ("transform 'ilwt53'").
  Params(std::string owner, nlohmann::json values);

  bool has(const std::string& key) const;

  // Typed getters: throw ParamError naming the owner, the key and the expected
  // type when the value has another JSON type.
  int64_t get_int(const std::string& key, int64_t fallback) const;
  double get_number(const std::string& key, double fallback) const;
  bool get_bool(const std::string& key, bool fallback) const;
  std::string get_string(const std::string& key, const std::string& fallback) const;
  // A string that must be one of `allowed`.
  std::string get_choice(const std::string& key, const std::string& fallback,
                         std::initializer_list<const char*> allowed) const;
  const nlohmann::json& get_json(const std::string& key) const;

  // Range checks with messages that say what was expected.
  int64_t get_int_at_least(const std::string& key, int64_t fallback, int64_t minimum) const;
  double get_number_in(const std::string& key, double fallback, double minimum,
                       double maximum) const;

  const std::string& owner() const { return owner_; }
  const nlohmann::json& values() const { return values_; }

  // Throws ParamError for every key not in `known` (with a "did you mean").
  void reject_unknown(const std::vector<std::string>& known) const;

 private:
  [[noreturn]] void fail(const std::string& key, const std::string& expected) const;
  std::string owner_;
  nlohmann::json values_;
};

// The closest name to `word` among `candidates` by edit distance, or "" when
// none is close enough to be a plausible typo.
STEGOLAB_VISIBLE std::string closest_name(const std::string& word,
                                          const std::vector<std::string>& candidates);

}  // namespace stegolab
