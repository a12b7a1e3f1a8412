// DynamicLossScaler: fp16 loss scaling for LibTorch, which has no C++ GradScaler.
//
// fp16 gradients underflow to zero for small losses; multiplying the loss by a
// large factor before backward() keeps them representable. The factor must
// then be divided out of the gradients before the optimiser sees them, and it
// adapts: halved when the scaled gradients overflow (the step is skipped), and
// doubled after `growth_interval` consecutive good steps, as in PyTorch's
// torch.cuda.amp.GradScaler.
#pragma once

#include <cstdint>
#include <vector>

#include <torch/serialize/archive.h>
#include <torch/types.h>

#include "stegolab/export.hpp"

namespace stegolab {

struct LossScalerSettings {
  bool enabled = true;  // disabled: scale() is 1 and update() never changes it
  double init_scale = 65536.0;
  double growth_factor = 2.0;
  double backoff_factor = 0.5;
  int64_t growth_interval = 2000;  // consecutive finite steps before growing
};

class STEGOLAB_VISIBLE DynamicLossScaler {
 public:
  // Throws ParamError for a non-positive scale or interval, or factors on the wrong side of 1.
  explicit DynamicLossScaler(LossScalerSettings settings = {});

  bool enabled() const { return settings_.enabled; }
  double scale() const { return settings_.enabled ? scale_ : 1.0; }
  // Finite steps since the last growth or backoff.
  int64_t growth_tracker() const { return growth_tracker_; }

  // loss * scale() (the loss itself when disabled).
  torch::Tensor scale_loss(const torch::Tensor& loss) const;

  // Divides every defined gradient by scale() in place and returns a
  // one-element float tensor on the gradients' device: 1 when any gradient
  // holds inf/NaN, else 0. No host synchronisation: on CUDA it is one fused
  // kernel per dtype; elsewhere a handful of vectorised ops. All gradients
  // must live on one device. With no gradients, the flag is 0 on the CPU.
  torch::Tensor unscale(const std::vector<torch::Tensor>& gradients) const;

  // After a step: back off on overflow (and restart the growth count),
  // otherwise count the good step and grow when the interval is reached.
  void update(bool found_nonfinite);

  void save(torch::serialize::OutputArchive& archive) const;
  // Restores scale and growth tracker (the settings stay those of this object).
  void load(torch::serialize::InputArchive& archive);

 private:
  LossScalerSettings settings_;
  double scale_;
  int64_t growth_tracker_ = 0;
};

}  // namespace stegolab
