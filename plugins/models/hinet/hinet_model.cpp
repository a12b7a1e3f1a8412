#include "hinet_model.hpp"

#include "stegolab/errors.hpp"

namespace stegolab::hinet {

namespace {

// HiNet's subnets and its low-frequency design are built for one level of
// bands (LL, LH, HL, HH per channel); a deeper transform folds finer levels
// into more channels, which is another architecture.
int64_t one_level_band_channels(const Transform* transform, int64_t channels) {
  if (!transform) {
    throw PluginError(
        "model 'hinet': needs a transform section (a one-level wavelet transform, e.g. "
        "haar_dwt with levels 1)");
  }
  const int64_t bands = transform->coefficient_channels(channels);
  if (bands != 4 * channels) {
    throw PluginError(
        "model 'hinet': needs a one-level transform (4 bands per channel); "
        "transform '" +
        transform->name() + "' with " + std::to_string(transform->levels()) + " levels gives " +
        std::to_string(bands) + " channels for " + std::to_string(channels) + "-channel images");
  }
  return bands;
}

}  // namespace

HinetModel::HinetModel(const HinetOptions& options, std::shared_ptr<Transform> transform)
    : options_(options), transform_(std::move(transform)) {
  band_channels_ = one_level_band_channels(transform_.get(), options_.channels);
  for (int64_t b = 0; b < options_.blocks; ++b) {
    blocks_.push_back(register_module("block" + std::to_string(b),
                                      HinetBlock(band_channels_, options_.secrets * band_channels_,
                                                 options_.growth, options_.clamp)));
  }
}

torch::Tensor HinetModel::to_coefficients(const torch::Tensor& images) const {
  return transform_->forward_image_stack(images, options_.channels).coefficients;
}

torch::Tensor HinetModel::from_coefficients(const torch::Tensor& coefficients, int64_t height,
                                            int64_t width) const {
  return transform_->inverse_image_stack(WaveletBands{coefficients, height, width},
                                         options_.channels);
}

torch::Tensor HinetModel::run_blocks(const torch::Tensor& x) {
  auto y = x;
  for (auto& block : blocks_) y = block->forward(y);
  return y;
}

torch::Tensor HinetModel::run_blocks_inverse(const torch::Tensor& y) {
  auto x = y;
  for (auto it = blocks_.rbegin(); it != blocks_.rend(); ++it) x = (*it)->inverse(x);
  return x;
}

void HinetModel::check_images(const char* call, const torch::Tensor& images) const {
  if (images.dim() != 4 || images.size(1) != options_.channels) {
    throw PluginError(std::string("model 'hinet': ") + call + " needs NCHW images with " +
                      std::to_string(options_.channels) + " channels, got " +
                      c10::str(images.sizes()));
  }
}

Embedding HinetModel::embed(const torch::Tensor& cover, const torch::Tensor& secret) {
  check_images("embed", cover);
  const int64_t secret_channels = options_.secrets * options_.channels;
  if (secret.dim() != 4 || secret.size(0) != cover.size(0) || secret.size(1) != secret_channels ||
      secret.size(2) != cover.size(2) || secret.size(3) != cover.size(3)) {
    throw PluginError("model 'hinet': secret must be the cover's shape with " +
                      std::to_string(secret_channels) + " channels (" +
                      std::to_string(options_.secrets) + " secrets), got " +
                      c10::str(cover.sizes()) + " and " + c10::str(secret.sizes()));
  }
  const auto z = run_blocks(torch::cat({to_coefficients(cover), to_coefficients(secret)}, 1));
  Embedding out;
  out.stego = from_coefficients(z.narrow(1, 0, band_channels_), cover.size(2), cover.size(3));
  out.lost = z.narrow(1, band_channels_, z.size(1) - band_channels_);
  return out;
}

torch::Tensor HinetModel::extract(const torch::Tensor& stego) {
  check_images("extract", stego);
  const auto cover_half = to_coefficients(stego);
  // HiNet's paper draws the lost part from N(0, 1); "zeros" is its mean.
  std::vector<int64_t> prior_shape = cover_half.sizes().vec();
  prior_shape[1] *= options_.secrets;
  const auto prior = options_.lost == "gaussian" ? torch::randn(prior_shape, cover_half.options())
                                                 : torch::zeros(prior_shape, cover_half.options());
  const auto x = run_blocks_inverse(torch::cat({cover_half, prior}, 1));
  return from_coefficients(x.narrow(1, band_channels_, prior_shape[1]), stego.size(2),
                           stego.size(3));
}

double HinetModel::flops_per_image(int64_t height, int64_t width) const {
  const double positions = static_cast<double>(transform_->coefficient_size(height)) *
                           static_cast<double>(transform_->coefficient_size(width));
  double per_position = 0.0;
  for (const auto& block : blocks_) per_position += block->flops_per_position();
  // Extraction runs every block's inverse, which evaluates the same three subnets.
  return 2.0 * per_position * positions;
}

}  // namespace stegolab::hinet
