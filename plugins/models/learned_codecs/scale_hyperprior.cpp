#include "scale_hyperprior.hpp"

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include "stegolab/rans_coder.hpp"

namespace stegolab::learned_codecs {

namespace {

// Runs its scope on one intra-op thread, then restores the previous count:
// a convolution's summation order, and so its rounding, can depend on how
// the work is split between threads.
class OneThreadScope {
 public:
  OneThreadScope() : previous_(at::get_num_threads()) { at::set_num_threads(1); }
  ~OneThreadScope() { at::set_num_threads(previous_); }
  OneThreadScope(const OneThreadScope&) = delete;
  OneThreadScope& operator=(const OneThreadScope&) = delete;

 private:
  int previous_;
};

}  // namespace

ScaleHyperprior::ScaleHyperprior(const TransformWidths& widths, double aux_learning_rate)
    : widths_(widths) {
  analysis_ = register_module("g_a", analysis_transform(widths));
  synthesis_ = register_module("g_s", synthesis_transform(widths));
  hyper_analysis_ = register_module("h_a", hyper_analysis(widths));
  hyper_synthesis_ = register_module("h_s", hyper_synthesis(widths));
  EntropyBottleneckSettings settings;
  settings.channels = widths.n;
  settings.aux_learning_rate = aux_learning_rate;
  bottleneck_ = register_module("entropy_bottleneck", std::make_shared<EntropyBottleneck>(settings));
  conditional_ = register_module("gaussian_conditional", std::make_shared<GaussianConditional>());
}

CodecForward ScaleHyperprior::forward_codec(const torch::Tensor& images) {
  const torch::Tensor y = analysis_->forward(images);
  const QuantizedLatents z = bottleneck_->forward(hyper_analysis_->forward(y.abs()));
  torch::Tensor scales;
  if (is_training()) {
    scales = hyper_synthesis_->forward(z.values);
  } else {
    // As compress() and decompress() compute them.
    OneThreadScope one_thread;
    scales = hyper_synthesis_->forward(z.values);
  }
  const QuantizedLatents y_hat = conditional_->forward(y, scales);
  return {synthesis_->forward(y_hat.values), TensorMap{{"y", y_hat.likelihoods}, {"z", z.likelihoods}},
          bottleneck_->aux_loss()};
}

torch::Tensor ScaleHyperprior::coding_indexes(const torch::Tensor& z_hat) {
  OneThreadScope one_thread;
  return conditional_->indexes(hyper_synthesis_->forward(z_hat));
}

std::vector<uint8_t> ScaleHyperprior::compress(const torch::Tensor& image) {
  torch::NoGradGuard no_grad;
  const torch::Tensor y = analysis_->forward(image);
  const torch::Tensor z = hyper_analysis_->forward(y.abs());
  RansEncoder encoder;
  // z first: the decoder needs it to know y's tables.
  bottleneck_->compress(z, encoder);
  conditional_->compress(y, coding_indexes(bottleneck_->round_around_medians(z)), {}, encoder);
  return encoder.finish();
}

torch::Tensor ScaleHyperprior::decompress(const std::vector<uint8_t>& payload, int64_t height,
                                          int64_t width) {
  torch::NoGradGuard no_grad;
  RansDecoder decoder(payload.data(), payload.size());
  const torch::Tensor z_hat = bottleneck_->decompress(decoder, height / 64, width / 64);
  const torch::Tensor y_hat = conditional_->decompress(decoder, coding_indexes(z_hat), {});
  return synthesis_->forward(y_hat.to(z_hat.device()));
}

double ScaleHyperprior::flops_per_image(int64_t height, int64_t width) const {
  return main_transforms_flops(widths_, height, width) +
         hyper_transforms_flops(widths_, height, width);
}

}  // namespace stegolab::learned_codecs
