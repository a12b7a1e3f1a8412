#include "stegolab/tensor_map.hpp"

#include <sstream>

#include "stegolab/errors.hpp"

namespace stegolab {

TensorMap::TensorMap(std::initializer_list<Entry> entries) {
  for (const auto& [name, value] : entries) set(name, value);
}

void TensorMap::set(const std::string& name, torch::Tensor value) {
  for (auto& entry : entries_) {
    if (entry.first == name) {
      entry.second = std::move(value);
      return;
    }
  }
  entries_.emplace_back(name, std::move(value));
}

bool TensorMap::contains(const std::string& name) const {
  for (const auto& entry : entries_) {
    if (entry.first == name) return true;
  }
  return false;
}

const torch::Tensor& TensorMap::at(const std::string& name) const {
  for (const auto& entry : entries_) {
    if (entry.first == name) return entry.second;
  }
  std::string present;
  for (const auto& entry : entries_) present += (present.empty() ? "" : ", ") + entry.first;
  throw Error("no tensor named '" + name + "' (present: " + (present.empty() ? "none" : present) +
              ")");
}

torch::Tensor TensorMap::get(const std::string& name) const {
  for (const auto& entry : entries_) {
    if (entry.first == name) return entry.second;
  }
  return {};
}

std::string TensorMap::describe() const {
  std::string text;
  for (const auto& [name, value] : entries_) {
    text += (text.empty() ? "" : ", ") + name + " " + shape_text(value);
  }
  return text;
}

std::string shape_text(const torch::Tensor& tensor) {
  if (!tensor.defined()) return "undefined";
  std::ostringstream text;
  text << "[";
  for (int64_t d = 0; d < tensor.dim(); ++d) text << (d == 0 ? "" : ", ") << tensor.size(d);
  text << "]";
  return text.str();
}

}  // namespace stegolab
