// TensorMap: tensors by name, in insertion order. The currency between the
// host and a task: a batch is the named images the task asked for, a loss
// sees the named tensors the task computed. No names are fixed by the SDK;
// each task documents its own.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <torch/types.h>

#include "stegolab/export.hpp"

namespace stegolab {

class STEGOLAB_VISIBLE TensorMap {
 public:
  using Entry = std::pair<std::string, torch::Tensor>;

  TensorMap() = default;
  TensorMap(std::initializer_list<Entry> entries);

  // Adds or replaces `name`.
  void set(const std::string& name, torch::Tensor value);
  bool contains(const std::string& name) const;
  // The tensor `name`; throws Error naming the missing key and the present ones.
  const torch::Tensor& at(const std::string& name) const;
  // The tensor `name`, or an undefined tensor when absent (optional inputs).
  torch::Tensor get(const std::string& name) const;

  const std::vector<Entry>& entries() const { return entries_; }
  bool empty() const { return entries_.empty(); }
  std::size_t size() const { return entries_.size(); }
  // "cover [8, 3, 32, 32], secret [8, 3, 32, 32]": for messages.
  std::string describe() const;

 private:
  std::vector<Entry> entries_;
};

// "[8, 3, 32, 32]", or "undefined".
STEGOLAB_VISIBLE std::string shape_text(const torch::Tensor& tensor);

}  // namespace stegolab
