#include "sweep/json_path.hpp"

namespace stegolab {

std::vector<std::string> split_json_path(const std::string& path) {
  std::vector<std::string> parts;
  size_t begin = 0;
  while (true) {
    const size_t dot = path.find('.', begin);
    parts.push_back(path.substr(begin, dot == std::string::npos ? std::string::npos : dot - begin));
    if (dot == std::string::npos) break;
    begin = dot + 1;
  }
  return parts;
}

const nlohmann::json* find_json_path(const nlohmann::json& document, const std::string& path) {
  const nlohmann::json* node = &document;
  for (const auto& part : split_json_path(path)) {
    if (!node->is_object()) return nullptr;
    const auto found = node->find(part);
    if (found == node->end()) return nullptr;
    node = &*found;
  }
  return node;
}

void set_json_path(nlohmann::json& document, const std::string& path, nlohmann::json value) {
  nlohmann::json* node = &document;
  for (const auto& part : split_json_path(path)) {
    if (!node->is_object()) *node = nlohmann::json::object();
    node = &(*node)[part];
  }
  *node = std::move(value);
}

std::string display_json_value(const nlohmann::json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

std::string child_json_path(const std::string& parent, const std::string& key) {
  if (key.find('.') != std::string::npos || key.empty()) return parent + "[\"" + key + "\"]";
  return parent.empty() ? key : parent + "." + key;
}

std::string indexed_json_path(const std::string& parent, size_t index) {
  return parent + "[" + std::to_string(index) + "]";
}

}  // namespace stegolab
