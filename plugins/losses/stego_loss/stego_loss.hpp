// The steganography objective: hiding and recovery terms, each with its own
// weight. (The channel between embed and extract is the task's: its
// train_attacks and train_attack_probability.)
#pragma once

#include <memory>

#include <torch/torch.h>

#include "stegolab/loss.hpp"
#include "stegolab/transform.hpp"

namespace stegolab::stego_loss {

struct StegoLossWeights {
  double hide_start = 2.0;  // hiding MSE weight at the start of training ...
  double hide_end = 24.0;   // ... reached linearly at hide_ramp, then constant
  double hide_ramp = 0.7;   // fraction of training the ramp takes
  double rec_mse = 3.0;
  double rec_ssim = 5.0;
  double edge = 0.0;
  double tv = 0.0;
  double wavelet = 0.0;
  double low_freq = 0.0;
};

class StegoLoss : public Loss {
 public:
  // transform: needed only for the wavelet and low_freq terms.
  StegoLoss(const StegoLossWeights& weights, std::shared_ptr<Transform> transform);

  // All images in input: NCHW float in [-1, 1].
  LossValue compute(const LossInput& input) override;

  // The hiding weight at a training fraction in [0, 1].
  double hide_weight(double fraction) const;

 private:
  torch::Tensor wavelet_term(const torch::Tensor& recovered, const torch::Tensor& secret) const;
  torch::Tensor low_freq_term(const torch::Tensor& stego, const torch::Tensor& cover) const;

  StegoLossWeights weights_;
  std::shared_ptr<Transform> transform_;
};

// Mean squared difference of horizontal and vertical finite differences
// (gradient-difference loss); a, b NCHW in any common range.
torch::Tensor gradient_difference(const torch::Tensor& a, const torch::Tensor& b);
// Anisotropic total variation: mean |dx| + mean |dy|; x NCHW in any range.
torch::Tensor total_variation(const torch::Tensor& x);

}  // namespace stegolab::stego_loss
