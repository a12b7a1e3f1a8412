// Loss: the training objective, as named terms the host logs separately.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <torch/types.h>

#include "stegolab/export.hpp"
#include "stegolab/plugin.hpp"
#include "stegolab/tensor_map.hpp"

namespace stegolab {

struct TrainingProgress {
  int64_t epoch = 0;      // 0-based
  int64_t epochs = 1;     // planned for the trial
  double fraction = 0.0;  // of the whole trial's training, in [0, 1]
};

// What the task computed for one micro-batch, by name; each task documents
// its names (docs/plugins.md). A loss takes the ones it needs with at().
struct LossInput {
  TensorMap tensors;
  TrainingProgress progress;
};

struct LossValue {
  torch::Tensor total;  // scalar, differentiable
  // Weighted terms as 0-dim tensors (detached is fine); they stay on the
  // device, the host syncs them rarely. Terms with weight 0 are left out.
  std::vector<std::pair<std::string, torch::Tensor>> terms;
};

class STEGOLAB_VISIBLE Loss {
 public:
  virtual ~Loss();
  virtual LossValue compute(const LossInput& input) = 0;
};

template <>
struct KindOf<Loss> {
  static constexpr const char* name = "loss";
};

}  // namespace stegolab
