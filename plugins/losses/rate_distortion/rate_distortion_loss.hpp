// The rate-distortion objective of learned compression (Ballé et al. 2018,
// CompressAI's RateDistortionLoss):
//   distortion "mse":     lambda * 255^2 * MSE + bpp + aux
//   distortion "ms_ssim": lambda * (1 - MS-SSIM) + bpp + aux
// MSE on the [0, 1] scale, MS-SSIM of the images on [0, 1] (the SDK's
// ms_ssim, as many scales as the size allows), both as CompressAI's
// examples/train.py weighs them; bpp = -sum(log2 likelihoods) / pixels over
// every latent, aux the entropy models' auxiliary loss (its parameters are
// in their own optimiser group, so it moves nothing else).
//
// Reads (LossInput::tensors): image, reconstruction (NCHW in [-1, 1]),
// aux_loss (scalar, optional) and every tensor named likelihoods.<latent>.
#pragma once

#include "stegolab/loss.hpp"

namespace stegolab::rate_distortion {

enum class Distortion { mse, ms_ssim };

class RateDistortionLoss : public Loss {
 public:
  explicit RateDistortionLoss(double lambda, Distortion distortion = Distortion::mse)
      : lambda_(lambda), distortion_(distortion) {}
  LossValue compute(const LossInput& input) override;

 private:
  double lambda_;
  Distortion distortion_;
};

}  // namespace stegolab::rate_distortion
