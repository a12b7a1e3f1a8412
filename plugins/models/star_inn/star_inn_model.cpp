#include "star_inn_model.hpp"

#include "reversible_stack.hpp"
#include "stegolab/errors.hpp"

namespace stegolab::star_inn {

StarInnModel::StarInnModel(const StarInnOptions& options, std::shared_ptr<Transform> transform)
    : options_(options), transform_(std::move(transform)) {
  if (!transform_)
    throw PluginError("model 'star_inn': no transform given (BuildContext::transform)");
  band_channels_ = transform_->coefficient_channels(options_.channels);
  for (int64_t b = 0; b < options_.blocks; ++b) {
    blocks_.push_back(register_module(
        "block" + std::to_string(b),
        StarInnBlock(band_channels_, options_.secrets * band_channels_, options_.hidden,
                     options_.clamp, options_.subnets)));
  }
  if (options_.composition == "ycbcr_residual") {
    if (options_.channels != 3) {
      throw ParamError(
          "model 'star_inn': composition \"ycbcr_residual\" needs 3-channel (RGB) images, got " +
          std::to_string(options_.channels) + " channels");
    }
    // Full-range BT.601 (JPEG) YCbCr. The residual is scaled per YCbCr channel
    // and mapped back to RGB: one 3x3 matrix A = M^-1 diag(k_y, k_c, k_c) M.
    const auto m =
        torch::tensor({0.299, 0.587, 0.114, -0.168736, -0.331264, 0.5, 0.5, -0.418688, -0.081312},
                      torch::kFloat64)
            .view({3, 3});
    const auto k =
        torch::diag(torch::tensor({options_.k_y, options_.k_c, options_.k_c}, torch::kFloat64));
    residual_mix_ = register_buffer(
        "residual_mix", torch::matmul(torch::inverse(m), torch::matmul(k, m)).to(torch::kFloat32));
  }
}

torch::Tensor StarInnModel::to_coefficients(const torch::Tensor& images) const {
  return transform_->forward_image_stack(images, options_.channels).coefficients;
}

torch::Tensor StarInnModel::from_coefficients(const torch::Tensor& coefficients, int64_t height,
                                              int64_t width) const {
  return transform_->inverse_image_stack(WaveletBands{coefficients, height, width},
                                         options_.channels);
}

torch::Tensor StarInnModel::run_blocks(const torch::Tensor& x) {
  if (recompute_activations()) return run_reversible(blocks_, x, StackDirection::embedding);
  auto y = x;
  for (auto& block : blocks_) y = block->forward(y);
  return y;
}

torch::Tensor StarInnModel::run_blocks_inverse(const torch::Tensor& y) {
  // Training extracts too (the recovery losses), so its activations would be
  // half of what standard mode keeps: recompute them as well.
  if (recompute_activations()) return run_reversible(blocks_, y, StackDirection::extraction);
  auto x = y;
  for (auto it = blocks_.rbegin(); it != blocks_.rend(); ++it) x = (*it)->inverse(x);
  return x;
}

bool StarInnModel::recompute_activations() const {
  return options_.memory == "recompute" && torch::GradMode::is_enabled();
}

torch::Tensor StarInnModel::ycbcr_scaled(const torch::Tensor& residual) const {
  return torch::conv2d(residual, residual_mix_.to(residual.dtype()).view({3, 3, 1, 1}));
}

Embedding StarInnModel::embed(const torch::Tensor& cover, const torch::Tensor& secret) {
  const int64_t secret_channels = options_.secrets * options_.channels;
  if (cover.dim() != 4 || secret.dim() != 4 || cover.size(1) != options_.channels ||
      secret.size(1) != secret_channels || cover.size(0) != secret.size(0) ||
      cover.size(2) != secret.size(2) || cover.size(3) != secret.size(3)) {
    throw PluginError("model 'star_inn': cover and secret must be NCHW images of the same size "
                      "with " +
                      std::to_string(options_.channels) + " and " +
                      std::to_string(secret_channels) + " channels (" +
                      std::to_string(options_.secrets) + " secrets), got " +
                      c10::str(cover.sizes()) + " and " + c10::str(secret.sizes()));
  }
  const int64_t height = cover.size(2), width = cover.size(3);
  const auto z = run_blocks(torch::cat({to_coefficients(cover), to_coefficients(secret)}, 1));
  const auto cover_half = z.narrow(1, 0, band_channels_);
  Embedding out;
  out.lost = z.narrow(1, band_channels_, z.size(1) - band_channels_);
  out.stego = from_coefficients(cover_half, height, width);
  if (options_.composition == "ycbcr_residual") {
    // Only the scaled change reaches the stego, so extraction (which sees the
    // stego, not this cover half) is approximate: see docs/model.md.
    out.stego = cover + ycbcr_scaled(out.stego - cover);
  }
  return out;
}

torch::Tensor StarInnModel::extract(const torch::Tensor& stego) {
  if (stego.dim() != 4 || stego.size(1) != options_.channels) {
    throw PluginError("model 'star_inn': stego must be an NCHW image with " +
                      std::to_string(options_.channels) + " channels, got " +
                      c10::str(stego.sizes()));
  }
  const auto cover_half = to_coefficients(stego);
  std::vector<int64_t> prior_shape = cover_half.sizes().vec();
  prior_shape[1] *= options_.secrets;
  const auto prior = options_.lost == "gaussian" ? torch::randn(prior_shape, cover_half.options())
                                                 : torch::zeros(prior_shape, cover_half.options());
  const auto x = run_blocks_inverse(torch::cat({cover_half, prior}, 1));
  return from_coefficients(x.narrow(1, band_channels_, prior_shape[1]), stego.size(2),
                           stego.size(3));
}

double StarInnModel::flops_per_image(int64_t height, int64_t width) const {
  const double positions = static_cast<double>(transform_->coefficient_size(height)) *
                           static_cast<double>(transform_->coefficient_size(width));
  double per_position = 0.0;
  for (const auto& block : blocks_) per_position += block->flops_per_position();
  // Extraction runs every block's inverse, which evaluates the same layers once.
  return 2.0 * per_position * positions;
}

}  // namespace stegolab::star_inn
