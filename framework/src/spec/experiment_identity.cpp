#include "spec/experiment_identity.hpp"

#include <cstdint>
#include <cstdio>

namespace stegolab {

nlohmann::json experiment_identity(const nlohmann::json& document) {
  nlohmann::json identity = document;
  if (identity.is_object()) {
    identity.erase("description");
    identity.erase("reports");
  }
  return identity;
}

std::string experiment_hash(const nlohmann::json& document) {
  uint64_t hash = 14695981039346656037ull;  // FNV-1a 64 offset basis
  for (const unsigned char c : experiment_identity(document).dump()) {
    hash ^= c;
    hash *= 1099511628211ull;  // FNV-1a 64 prime
  }
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
  return text;
}

std::string identity_changes(const nlohmann::json& before, const nlohmann::json& after) {
  const nlohmann::json patch =
      nlohmann::json::diff(experiment_identity(before), experiment_identity(after));
  std::string paths;
  size_t listed = 0;
  for (const auto& op : patch) {
    if (listed == 12) {
      paths += ", ... (" + std::to_string(patch.size() - listed) + " more)";
      break;
    }
    paths += (listed++ == 0 ? "" : ", ") + op.at("path").get<std::string>() + " (" +
             op.at("op").get<std::string>() + ")";
  }
  return paths;
}

}  // namespace stegolab
