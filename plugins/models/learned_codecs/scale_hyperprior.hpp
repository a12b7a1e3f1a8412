// bmshj2018-hyperprior (Ballé et al. 2018, "scale hyperprior"): latents y
// at 1/16 of the image size coded with a Gaussian of scales predicted from
// side information z at 1/64, which a factorized bottleneck codes.
//
// The scales choose y's coding tables, so encoder and decoder must compute
// them identically: both run h_s on one CPU thread (same operations, same
// order), and the tables are chosen by comparisons only.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include <torch/nn/modules/container/sequential.h>

#include "codec_transforms.hpp"
#include "stegolab/codec.hpp"
#include "stegolab/entropy_bottleneck.hpp"
#include "stegolab/gaussian_conditional.hpp"

namespace stegolab::learned_codecs {

class ScaleHyperprior : public CodecModel {
 public:
  ScaleHyperprior(const TransformWidths& widths, double aux_learning_rate);

  CodecForward forward_codec(const torch::Tensor& images) override;
  int64_t alignment() const override { return 64; }
  void update_tables() override { bottleneck_->update_tables(); }
  std::vector<uint8_t> compress(const torch::Tensor& image) override;
  torch::Tensor decompress(const std::vector<uint8_t>& payload, int64_t height,
                           int64_t width) override;
  double flops_per_image(int64_t height, int64_t width) const override;

 private:
  // The table index of every y element, from the quantised side information.
  torch::Tensor coding_indexes(const torch::Tensor& z_hat);

  TransformWidths widths_;
  torch::nn::Sequential analysis_{nullptr}, synthesis_{nullptr};
  torch::nn::Sequential hyper_analysis_{nullptr}, hyper_synthesis_{nullptr};
  std::shared_ptr<EntropyBottleneck> bottleneck_;
  std::shared_ptr<GaussianConditional> conditional_;
};

}  // namespace stegolab::learned_codecs
