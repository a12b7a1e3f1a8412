// A tiny training of a StegoModel outside the host: a fixed batch of smooth
// images, Adam on MSE(stego, cover) + MSE(recovered, secret), and the hiding
// and recovery PSNR before and after. The model tests use it to check that a
// model learns both halves of its job.
#pragma once

#include <vector>

#include <torch/torch.h>

#include "stegolab/image_quality.hpp"
#include "stegolab/model.hpp"

namespace stegolab::testing {

// Random images smooth enough to be hidden in a few steps (noise is not):
// a 4x4 random grid per channel, upsampled bilinearly. NCHW in [-1, 1].
inline torch::Tensor smooth_images(int64_t count, int64_t size) {
  const auto grid = torch::rand({count, 3, 4, 4}) * 2 - 1;
  return torch::upsample_bilinear2d(grid, {size, size}, /*align_corners=*/true);
}

struct StegoQuality {
  double hide_psnr = 0.0;  // dB, stego vs cover, images mapped to [0, 1]
  double rec_psnr = 0.0;   // dB, recovered vs secret, from the float stego
};

inline StegoQuality measure_quality(StegoModel& model, const torch::Tensor& cover,
                                    const torch::Tensor& secret) {
  torch::NoGradGuard no_grad;
  const auto to_unit = [](const torch::Tensor& x) { return ((x + 1) / 2).clamp(0, 1); };
  const auto stego = model.embed(cover, secret).stego;
  const auto recovered = model.extract(stego);
  return {psnr(to_unit(stego), to_unit(cover), 1.0).mean().item<double>(),
          psnr(to_unit(recovered), to_unit(secret), 1.0).mean().item<double>()};
}

// PSNR (dB, images mapped to [0, 1]) of recovered secret i against secret j
// for `count` secrets along the channels, as result[i][j]: the diagonal is
// each secret's recovery, the rest how much a recovery resembles another
// secret (high when the secrets are routed to the wrong outputs).
inline std::vector<std::vector<double>> recovery_psnr_matrix(StegoModel& model,
                                                             const torch::Tensor& cover,
                                                             const torch::Tensor& secrets,
                                                             int64_t count) {
  torch::NoGradGuard no_grad;
  const auto to_unit = [](const torch::Tensor& x) { return ((x + 1) / 2).clamp(0, 1); };
  const auto recovered = model.extract(model.embed(cover, secrets).stego).chunk(count, 1);
  const auto originals = secrets.chunk(count, 1);
  std::vector<std::vector<double>> result(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) {
    for (int64_t j = 0; j < count; ++j) {
      result[i].push_back(
          psnr(to_unit(recovered[i]), to_unit(originals[j]), 1.0).mean().item<double>());
    }
  }
  return result;
}

inline void train_steps(StegoModel& model, const torch::Tensor& cover, const torch::Tensor& secret,
                        int steps, double learning_rate) {
  model.train();
  torch::optim::Adam adam(model.parameters(), torch::optim::AdamOptions(learning_rate));
  for (int step = 0; step < steps; ++step) {
    const auto stego = model.embed(cover, secret).stego;
    const auto loss = torch::mse_loss(stego, cover) + torch::mse_loss(model.extract(stego), secret);
    adam.zero_grad();
    loss.backward();
    adam.step();
  }
  model.eval();
}

}  // namespace stegolab::testing
