#include "baluja_model.hpp"

#include <string>

#include "stegolab/errors.hpp"

namespace stegolab::baluja_cnn {

BalujaModel::BalujaModel(const BalujaOptions& options) : options_(options) {
  const int64_t c = options_.channels;
  prep_ = register_module("prep", BranchNetwork(c, options_.width, options_.layers, std::nullopt));
  // The hiding network sees the prepared secret's features beside the cover.
  hide_ = register_module(
      "hide", BranchNetwork(prep_->out_channels() + c, options_.width, options_.layers, c));
  reveal_ = register_module("reveal", BranchNetwork(c, options_.width, options_.layers, c));
}

void BalujaModel::check_images(const char* call, const torch::Tensor& images) const {
  if (images.dim() != 4 || images.size(1) != options_.channels) {
    throw PluginError(std::string("model 'baluja_cnn': ") + call + " needs NCHW images with " +
                      std::to_string(options_.channels) + " channels, got " +
                      c10::str(images.sizes()));
  }
}

Embedding BalujaModel::embed(const torch::Tensor& cover, const torch::Tensor& secret) {
  check_images("embed", cover);
  if (cover.sizes() != secret.sizes()) {
    throw PluginError("model 'baluja_cnn': cover and secret must have the same shape, got " +
                      c10::str(cover.sizes()) + " and " + c10::str(secret.sizes()));
  }
  Embedding out;
  out.stego = hide_(torch::cat({prep_(secret), cover}, 1));
  return out;
}

torch::Tensor BalujaModel::extract(const torch::Tensor& stego) {
  check_images("extract", stego);
  return reveal_(stego);
}

double BalujaModel::flops_per_image(int64_t height, int64_t width) const {
  const double pixels = static_cast<double>(height) * static_cast<double>(width);
  return (prep_->flops_per_position() + hide_->flops_per_position() +
          reveal_->flops_per_position()) *
         pixels;
}

}  // namespace stegolab::baluja_cnn
