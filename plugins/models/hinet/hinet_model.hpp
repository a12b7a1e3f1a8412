// HiNet (Jing et al., ICCV 2021): invertible blocks over the one-level
// wavelet bands of cover and secret.
//
// embed:   [T(cover) | T(secret_1) .. T(secret_k)] -> blocks -> [cover half | lost half];
//          stego = T^-1(cover half), lost = the secret half.
// extract: [T(stego) | prior] -> blocks^-1 -> [. | secret half];
//          secret = T^-1(secret half), prior = zeros or Gaussian noise.
// T is the experiment's transform (BuildContext::transform); HiNet's
// architecture assumes one level, so T must give 4 bands per image channel.
// k secrets (BuildContext::secrets) widen the secret half to k images' bands.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "hinet_block.hpp"
#include "stegolab/model.hpp"
#include "stegolab/transform.hpp"

namespace stegolab::hinet {

struct HinetOptions {
  int64_t blocks = 16;
  int64_t growth = 32;         // channels of each dense layer of the subnets
  double clamp = 2.0;          // bound of the coupling log-scale
  std::string lost = "zeros";  // extraction prior: "zeros" | "gaussian"
  int64_t channels = 3;        // image channels
  int64_t secrets = 1;         // secret images per cover
};

class HinetModel : public StegoModel {
 public:
  HinetModel(const HinetOptions& options, std::shared_ptr<Transform> transform);

  // cover: NCHW float in [-1, 1]; secret: the k secrets along the channels,
  // [N, k*C, H, W], same range.
  Embedding embed(const torch::Tensor& cover, const torch::Tensor& secret) override;
  // stego: NCHW float in [-1, 1]. Returns the k secrets, [N, k*C, H, W],
  // nominally in [-1, 1].
  torch::Tensor extract(const torch::Tensor& stego) override;
  double flops_per_image(int64_t height, int64_t width) const override;

  // The block stack on coefficients [N, (1 + k) * band_channels(), h, w]; exposed
  // for tests of exact invertibility.
  torch::Tensor run_blocks(const torch::Tensor& x);
  torch::Tensor run_blocks_inverse(const torch::Tensor& y);

  // Coefficient channels of one image (cover or secret) after the transform.
  int64_t band_channels() const { return band_channels_; }

  // Images NCHW in [-1, 1], one or several stacked along the channels, <->
  // the network's coefficients (Transform::forward_image_stack / inverse_image_stack).
  torch::Tensor to_coefficients(const torch::Tensor& images) const;
  torch::Tensor from_coefficients(const torch::Tensor& coefficients, int64_t height,
                                  int64_t width) const;

 private:
  void check_images(const char* call, const torch::Tensor& images) const;

  HinetOptions options_;
  std::shared_ptr<Transform> transform_;
  int64_t band_channels_;
  std::vector<HinetBlock> blocks_;
};

}  // namespace stegolab::hinet
