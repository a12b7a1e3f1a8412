#include "star_inn_block.hpp"

namespace stegolab::star_inn {

StarInnBlockImpl::StarInnBlockImpl(int64_t cover_channels, int64_t secret_channels,
                                   int64_t hidden, double clamp, SubnetExecution execution) {
  const int64_t channels = cover_channels + secret_channels;
  act_norm_ = register_module("act_norm", ActNorm(channels));
  mix_ = register_module("mix", InvertibleConv1x1(channels));
  coupling_ = register_module(
      "coupling", AffineCoupling(cover_channels, secret_channels, hidden, clamp, execution));
}

torch::Tensor StarInnBlockImpl::forward(const torch::Tensor& x) {
  return coupling_(mix_(act_norm_(x)));
}

torch::Tensor StarInnBlockImpl::inverse(const torch::Tensor& y) {
  return act_norm_->inverse(mix_->inverse(coupling_->inverse(y)));
}

double StarInnBlockImpl::flops_per_position() const {
  const double c = static_cast<double>(mix_->channels());
  return coupling_->flops_per_position() + 2.0 * c * c;
}

}  // namespace stegolab::star_inn
