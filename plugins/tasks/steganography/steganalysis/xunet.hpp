// A small learned steganalyser after Xu, Wu and Shi ("Structural design of
// convolutional neural networks for steganalysis", IEEE SPL 2016): a fixed
// 5x5 KV high-pass filter on each colour channel (the noise residual that
// embedding changes), then five convolution groups with batch normalisation
// (5x5 with absolute value and tanh in the first, 5x5 tanh, three 1x1 ReLU),
// average pooling between groups, a global average and a linear layer with
// two outputs (cover, stego).
#pragma once

#include <cstdint>

#include <torch/torch.h>

namespace stegolab::steganography {

// Trainable parameters of the network for `channels` input channels: the
// paper's widths 8, 16, 32, 64, 128, convolutions without bias (batch
// normalisation follows each), each normalisation's scale and shift, and
// the 128 x 2 linear layer with its bias. The fixed filter is no parameter.
int64_t xunet_parameter_count(int64_t channels);

class XuNetImpl : public torch::nn::Module {
 public:
  explicit XuNetImpl(int64_t channels);
  // pixels: float [N, C, H, W] on the 0-255 scale. Returns logits [N, 2]:
  // index 1 is "stego".
  torch::Tensor forward(const torch::Tensor& pixels);

 private:
  int64_t channels_;
  torch::Tensor high_pass_;  // the KV kernel per channel, a buffer
  torch::nn::Conv2d conv1_{nullptr}, conv2_{nullptr}, conv3_{nullptr}, conv4_{nullptr},
      conv5_{nullptr};
  torch::nn::BatchNorm2d norm1_{nullptr}, norm2_{nullptr}, norm3_{nullptr}, norm4_{nullptr},
      norm5_{nullptr};
  torch::nn::Linear classifier_{nullptr};
};
TORCH_MODULE(XuNet);

}  // namespace stegolab::steganography
