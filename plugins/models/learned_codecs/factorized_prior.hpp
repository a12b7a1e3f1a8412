// bmshj2018-factorized (Ballé et al. 2018, "factorized prior"): analysis
// transform to latents y at 1/16 of the image size, a factorized entropy
// bottleneck on y, synthesis transform back.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include <torch/nn/modules/container/sequential.h>

#include "codec_transforms.hpp"
#include "stegolab/codec.hpp"
#include "stegolab/entropy_bottleneck.hpp"

namespace stegolab::learned_codecs {

class FactorizedPrior : public CodecModel {
 public:
  FactorizedPrior(const TransformWidths& widths, double aux_learning_rate);

  CodecForward forward_codec(const torch::Tensor& images) override;
  int64_t alignment() const override { return 16; }
  void update_tables() override { bottleneck_->update_tables(); }
  std::vector<uint8_t> compress(const torch::Tensor& image) override;
  torch::Tensor decompress(const std::vector<uint8_t>& payload, int64_t height,
                           int64_t width) override;
  double flops_per_image(int64_t height, int64_t width) const override;

 private:
  TransformWidths widths_;
  torch::nn::Sequential analysis_{nullptr};
  torch::nn::Sequential synthesis_{nullptr};
  std::shared_ptr<EntropyBottleneck> bottleneck_;
};

}  // namespace stegolab::learned_codecs
