// ActNorm (Glow): a per-channel affine map y = (x + bias) * exp(log_scale),
// initialised from the first batch it sees so that its output has zero mean
// and unit variance per channel.
#pragma once

#include <torch/torch.h>

namespace stegolab::star_inn {

class ActNormImpl : public torch::nn::Module {
 public:
  explicit ActNormImpl(int64_t channels);

  // x: NCHW coefficients (any range). The first call initialises the layer.
  torch::Tensor forward(const torch::Tensor& x);
  torch::Tensor inverse(const torch::Tensor& y);

  bool initialized();

  // Restoring weights (a checkpoint, or the trainer's last good state) may
  // restore an uninitialised layer: the host-side cache must follow.
  void load(torch::serialize::InputArchive& archive) override;

 private:
  void initialize(const torch::Tensor& x);

  torch::Tensor bias_;
  torch::Tensor log_scale_;
  // A buffer, not a C++ flag: it is saved with the weights, so a restored
  // checkpoint keeps its learned statistics instead of re-initialising.
  torch::Tensor initialized_;
  // Host-side cache of initialized_ == 1, so the hot path does not sync with
  // the device on every call once the layer is initialised.
  bool seen_initialized_ = false;
};
TORCH_MODULE(ActNorm);

}  // namespace stegolab::star_inn
