#include "factorized_prior.hpp"

#include <torch/torch.h>

#include "stegolab/rans_coder.hpp"

namespace stegolab::learned_codecs {

FactorizedPrior::FactorizedPrior(const TransformWidths& widths, double aux_learning_rate)
    : widths_(widths) {
  analysis_ = register_module("g_a", analysis_transform(widths));
  synthesis_ = register_module("g_s", synthesis_transform(widths));
  EntropyBottleneckSettings settings;
  settings.channels = widths.m;
  settings.aux_learning_rate = aux_learning_rate;
  bottleneck_ = register_module("entropy_bottleneck", std::make_shared<EntropyBottleneck>(settings));
}

CodecForward FactorizedPrior::forward_codec(const torch::Tensor& images) {
  const torch::Tensor y = analysis_->forward(images);
  const QuantizedLatents latents = bottleneck_->forward(y);
  return {synthesis_->forward(latents.values), TensorMap{{"y", latents.likelihoods}},
          bottleneck_->aux_loss()};
}

std::vector<uint8_t> FactorizedPrior::compress(const torch::Tensor& image) {
  torch::NoGradGuard no_grad;
  RansEncoder encoder;
  bottleneck_->compress(analysis_->forward(image), encoder);
  return encoder.finish();
}

torch::Tensor FactorizedPrior::decompress(const std::vector<uint8_t>& payload, int64_t height,
                                          int64_t width) {
  torch::NoGradGuard no_grad;
  RansDecoder decoder(payload.data(), payload.size());
  const torch::Tensor y_hat = bottleneck_->decompress(decoder, height / 16, width / 16);
  return synthesis_->forward(y_hat);
}

double FactorizedPrior::flops_per_image(int64_t height, int64_t width) const {
  return main_transforms_flops(widths_, height, width);
}

}  // namespace stegolab::learned_codecs
