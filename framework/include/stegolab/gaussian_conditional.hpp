// Gaussian conditional entropy model (Ballé et al. 2018, the hyperprior's
// latents): each latent is a Gaussian of a given scale (and mean) convolved
// with a unit uniform. Training adds uniform noise; evaluation rounds
// around the means. For coding, the scales map to indexes into a fixed
// table of scales whose integer CDF tables both sides build identically.
#pragma once

#include <cstdint>
#include <vector>

#include <torch/nn/module.h>
#include <torch/types.h>

#include "stegolab/cdf_table.hpp"
#include "stegolab/entropy_bottleneck.hpp"
#include "stegolab/export.hpp"
#include "stegolab/rans_coder.hpp"

namespace stegolab {

struct GaussianConditionalSettings {
  // Scales of the tables: 64 log-spaced from 0.11 to 256 (CompressAI's).
  double scale_min = 0.11;
  double scale_max = 256.0;
  int64_t scale_levels = 64;
  double scale_bound = 0.11;  // scales below are raised to this
  double tail_mass = 1e-9;
};

class STEGOLAB_VISIBLE GaussianConditional : public torch::nn::Module {
 public:
  explicit GaussianConditional(GaussianConditionalSettings settings = {});
  ~GaussianConditional() override;

  // values, scales (and means, or undefined for zero): same shape.
  QuantizedLatents forward(const torch::Tensor& values, const torch::Tensor& scales,
                           const torch::Tensor& means = {});
  // int32 index of the table each scale is coded with: the first table
  // scale at or above it (the last for larger ones).
  torch::Tensor indexes(const torch::Tensor& scales) const;

  // values: [1, C, H, W]; rounded around `means` (undefined: zero), coded
  // with the tables `indexes` names.
  void compress(const torch::Tensor& values, const torch::Tensor& indexes,
                const torch::Tensor& means, RansEncoder& encoder) const;
  // The quantised values as forward() in evaluation mode gives them, shaped
  // like `indexes`, on the device of `means` (CPU when undefined).
  torch::Tensor decompress(RansDecoder& decoder, const torch::Tensor& indexes,
                           const torch::Tensor& means) const;

 private:
  torch::Tensor likelihood(const torch::Tensor& values, const torch::Tensor& scales) const;

  GaussianConditionalSettings settings_;
  torch::Tensor scale_table_;  // buffer [levels], fp32
  std::vector<CdfTable> tables_;
};

}  // namespace stegolab
