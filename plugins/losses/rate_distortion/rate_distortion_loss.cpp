#include "rate_distortion_loss.hpp"

#include <cmath>
#include <string>

#include <torch/torch.h>

#include "stegolab/errors.hpp"

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
  // [-1, 1] -> [0, 1] halves the differences: the MSE is a quarter.
  const torch::Tensor mse =
      (reconstruction.to(torch::kFloat) - image.to(torch::kFloat)).square().mean() / 4.0;
  torch::Tensor total = lambda_ * 255.0 * 255.0 * mse + bpp;
  LossValue value;
  value.terms = {{"mse", mse.detach()}, {"bpp", bpp.detach()}};
  const torch::Tensor aux = input.tensors.get("aux_loss");
  if (aux.defined()) {
    total = total + aux.to(torch::kFloat);
    value.terms.emplace_back("aux", aux.detach());
  }
  value.total = total;
  return value;
}

}  // namespace stegolab::rate_distortion
