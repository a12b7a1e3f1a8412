// The rate-distortion objective of learned compression (Ballé et al. 2018,
// CompressAI's RateDistortionLoss):
//   lambda * 255^2 * MSE + bpp + aux
// MSE on the [0, 1] scale, bpp = -sum(log2 likelihoods) / pixels over every
// latent, aux the entropy models' auxiliary loss (its parameters are in
// their own optimiser group, so it moves nothing else).
//
// Reads (LossInput::tensors): image, reconstruction (NCHW in [-1, 1]),
// aux_loss (scalar, optional) and every tensor named likelihoods.<latent>.
#pragma once

#include "stegolab/loss.hpp"

namespace stegolab::rate_distortion {

class RateDistortionLoss : public Loss {
 public:
  explicit RateDistortionLoss(double lambda) : lambda_(lambda) {}
  LossValue compute(const LossInput& input) override;

 private:
  double lambda_;
};

}  // namespace stegolab::rate_distortion
