// The trained modules' and the strategy's state kept in memory, to return to
// after a divergence.
#pragma once

#include <string>
#include <vector>

#include <torch/types.h>

#include "stegolab/strategy.hpp"
#include "stegolab/task.hpp"

namespace stegolab {

class StateSnapshot {
 public:
  void capture(const std::vector<NamedModule>& modules, const Strategy& strategy);
  void restore(const std::vector<NamedModule>& modules, Strategy& strategy,
               torch::Device device) const;

 private:
  std::vector<std::string> modules_;  // serialised archives, in the modules' order
  std::string strategy_;
};

}  // namespace stegolab
