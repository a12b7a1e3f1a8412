// Device-side running sums of named 0-dim tensors (a loss's terms): the
// epoch's means cross to the host once, at its end.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <torch/torch.h>

namespace stegolab {

class TermSums {
 public:
  void add(const std::string& name, const torch::Tensor& value) {
    const torch::Tensor v = value.detach().to(torch::kDouble);
    for (auto& [key, sum] : sums_) {
      if (key == name) {
        sum = sum + v;
        return;
      }
    }
    sums_.emplace_back(name, v);
  }
  const std::vector<std::pair<std::string, torch::Tensor>>& sums() const { return sums_; }
  // Every sum on the host, in order: one device-to-host copy.
  std::vector<double> host_values() const {
    std::vector<double> values;
    if (sums_.empty()) return values;
    std::vector<torch::Tensor> sums;
    for (const auto& [name, sum] : sums_) sums.push_back(sum);
    const torch::Tensor host = torch::stack(sums).cpu();
    for (int64_t i = 0; i < host.size(0); ++i) values.push_back(host[i].item<double>());
    return values;
  }

 private:
  std::vector<std::pair<std::string, torch::Tensor>> sums_;
};

}  // namespace stegolab
