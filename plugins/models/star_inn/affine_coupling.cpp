#include "affine_coupling.hpp"

#include <vector>

namespace stegolab::star_inn {

AffineCouplingImpl::AffineCouplingImpl(int64_t cover_channels, int64_t secret_channels,
                                       int64_t hidden, double clamp, SubnetExecution execution)
    : cover_channels_(cover_channels), clamp_(clamp) {
  phi_ = register_module("phi", CouplingSubnet(secret_channels, hidden, cover_channels));
  rho_eta_ = register_module(
      "rho_eta", CouplingSubnet(cover_channels, hidden, secret_channels, /*groups=*/2, execution));
}

std::pair<torch::Tensor, torch::Tensor> AffineCouplingImpl::scale_and_shift(
    const torch::Tensor& y1) {
  const auto rho_eta = rho_eta_(y1);
  return {clamp_ * torch::tanh(rho_eta[0]), rho_eta[1]};
}

// The halves come from one split, not two narrows: backward then joins their
// gradients with one cat, where each narrow's backward wrote a zero-filled
// full-size gradient and the two were added.
torch::Tensor AffineCouplingImpl::forward(const torch::Tensor& x) {
  const auto halves = x.split_with_sizes({cover_channels_, x.size(1) - cover_channels_}, 1);
  const auto& x1 = halves[0];
  const auto& x2 = halves[1];
  const auto y1 = x1 + phi_(x2)[0];
  const auto [log_scale, shift] = scale_and_shift(y1);
  const auto y2 = x2 * torch::exp(log_scale) + shift;
  return torch::cat({y1, y2}, 1);
}

torch::Tensor AffineCouplingImpl::inverse(const torch::Tensor& y) {
  const auto halves = y.split_with_sizes({cover_channels_, y.size(1) - cover_channels_}, 1);
  const auto& y1 = halves[0];
  const auto& y2 = halves[1];
  const auto [log_scale, shift] = scale_and_shift(y1);
  const auto x2 = (y2 - shift) * torch::exp(-log_scale);
  const auto x1 = y1 - phi_(x2)[0];
  return torch::cat({x1, x2}, 1);
}

double AffineCouplingImpl::flops_per_position() const {
  return phi_->flops_per_position() + rho_eta_->flops_per_position();
}

void AffineCouplingImpl::load(torch::serialize::InputArchive& archive) {
  std::vector<torch::serialize::InputArchive> separate(2);
  if (!archive.try_read("rho", separate[0])) {
    torch::nn::Module::load(archive);
    return;
  }
  archive.read("eta", separate[1]);
  torch::serialize::InputArchive phi;
  archive.read("phi", phi);
  phi_->load(phi);
  rho_eta_->load_separate(separate);
}

}  // namespace stegolab::star_inn
