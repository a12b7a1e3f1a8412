#include "rate_distortion_loss.hpp"

#include <cmath>
#include <string>

#include <torch/torch.h>

#include "stegolab/errors.hpp"
#include "stegolab/image_quality.hpp"

namespace stegolab::rate_distortion {

namespace {

const std::string kLikelihoodPrefix = "likelihoods.";

}  // namespace

LossValue RateDistortionLoss::compute(const LossInput& input) {
  const torch::Tensor& image = input.tensors.at("image");
  const torch::Tensor& reconstruction = input.tensors.at("reconstruction");
  const double pixels = static_cast<double>(image.size(0) * image.size(2) * image.size(3));
  torch::Tensor bits;
  for (const auto& [name, likelihoods] : input.tensors.entries()) {
    if (name.rfind(kLikelihoodPrefix, 0) != 0) continue;
    const torch::Tensor latent_bits = -torch::log(likelihoods.to(torch::kFloat)).sum() / std::log(2.0);
    bits = bits.defined() ? bits + latent_bits : latent_bits;
  }
  if (!bits.defined()) {
    throw PluginError("loss 'rate_distortion': no likelihoods.<latent> among the inputs (" +
                      input.tensors.describe() + ")");
  }
  const torch::Tensor bpp = bits / pixels;
  LossValue value;
  torch::Tensor total;
  if (distortion_ == Distortion::mse) {
    // [-1, 1] -> [0, 1] halves the differences: the MSE is a quarter.
    const torch::Tensor mse =
        (reconstruction.to(torch::kFloat) - image.to(torch::kFloat)).square().mean() / 4.0;
    total = lambda_ * 255.0 * 255.0 * mse + bpp;
    value.terms = {{"mse", mse.detach()}, {"bpp", bpp.detach()}};
  } else {
    if (ms_ssim_scales(image.size(2), image.size(3)) < 1) {
      throw PluginError("loss 'rate_distortion': distortion 'ms_ssim' needs images of at least " +
                        std::to_string(kSsimWindow) + "x" + std::to_string(kSsimWindow) +
                        " pixels, got " + std::to_string(image.size(2)) + "x" +
                        std::to_string(image.size(3)));
    }
    const torch::Tensor similarity = ms_ssim((reconstruction.to(torch::kFloat) + 1.0) / 2.0,
                                             (image.to(torch::kFloat) + 1.0) / 2.0, 1.0)
                                         .mean();
    total = lambda_ * (1.0 - similarity) + bpp;
    value.terms = {{"ms_ssim", similarity.detach()}, {"bpp", bpp.detach()}};
  }
  const torch::Tensor aux = input.tensors.get("aux_loss");
  if (aux.defined()) {
    total = total + aux.to(torch::kFloat);
    value.terms.emplace_back("aux", aux.detach());
  }
  value.total = total;
  return value;
}

}  // namespace stegolab::rate_distortion
