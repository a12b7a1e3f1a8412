// Baluja, "Hiding Images in Plain Sight: Deep Steganography" (NeurIPS 2017):
// three CNNs in pixel space.
//
// embed:   prepared = prep(secret);  stego = hide([prepared | cover])
// extract: secret = reveal(stego)
// Nothing is discarded, so Embedding::lost stays undefined. The model works
// on pixels: a transform in the experiment is not used by it (the loss may
// still use it), so one experiment can compare it with wavelet-domain models.
#pragma once

#include <torch/torch.h>

#include "branch_network.hpp"
#include "stegolab/model.hpp"

namespace stegolab::baluja_cnn {

struct BalujaOptions {
  int64_t width = 50;    // filters of each of the three parallel convolutions of a layer
  int64_t layers = 5;    // parallel-convolution layers of each network
  int64_t channels = 3;  // image channels
};

class BalujaModel : public StegoModel {
 public:
  explicit BalujaModel(const BalujaOptions& options);

  // cover, secret: NCHW float in [-1, 1], same shape.
  Embedding embed(const torch::Tensor& cover, const torch::Tensor& secret) override;
  // stego: NCHW float in [-1, 1]. Returns the secret, nominally in [-1, 1].
  torch::Tensor extract(const torch::Tensor& stego) override;
  double flops_per_image(int64_t height, int64_t width) const override;

 private:
  void check_images(const char* call, const torch::Tensor& images) const;

  BalujaOptions options_;
  BranchNetwork prep_{nullptr}, hide_{nullptr}, reveal_{nullptr};
};

}  // namespace stegolab::baluja_cnn
