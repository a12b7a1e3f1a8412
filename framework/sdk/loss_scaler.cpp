#include "stegolab/loss_scaler.hpp"

#include <string>

#include <ATen/ops/_amp_foreach_non_finite_check_and_unscale.h>
#include <torch/torch.h>

#include "stegolab/errors.hpp"

namespace stegolab {

DynamicLossScaler::DynamicLossScaler(LossScalerSettings settings)
    : settings_(settings), scale_(settings.init_scale) {
  const std::string owner = "loss scaler: ";
  if (!(settings_.init_scale > 0.0)) {
    throw ParamError(owner + "loss_scale_init must be > 0, got " + std::to_string(settings_.init_scale));
  }
  if (settings_.growth_interval < 1) {
    throw ParamError(owner + "growth_interval must be >= 1, got " +
                     std::to_string(settings_.growth_interval));
  }
  if (!(settings_.growth_factor > 1.0) || !(settings_.backoff_factor > 0.0 && settings_.backoff_factor < 1.0)) {
    throw ParamError(owner + "growth factor must be > 1 and backoff factor in (0, 1)");
  }
}

torch::Tensor DynamicLossScaler::scale_loss(const torch::Tensor& loss) const {
  return settings_.enabled ? loss * scale_ : loss;
}

torch::Tensor DynamicLossScaler::unscale(const std::vector<torch::Tensor>& gradients) const {
  std::vector<torch::Tensor> defined;
  defined.reserve(gradients.size());
  for (const auto& gradient : gradients) {
    if (gradient.defined()) defined.push_back(gradient);
  }
  if (defined.empty()) return torch::zeros({1}, torch::kFloat);
  const torch::Device device = defined.front().device();
  for (const auto& gradient : defined) {
    if (gradient.device() != device) {
      throw PluginError("loss scaler: gradients live on " + device.str() + " and " +
                        gradient.device().str() + "; all must be on one device");
    }
  }
  auto found = torch::zeros({1}, torch::TensorOptions().dtype(torch::kFloat).device(device));
  const double inverse = 1.0 / scale();
  if (device.is_cuda()) {
    // The fused kernel PyTorch's GradScaler uses: unscales and sets `found`
    // without leaving the device. LibTorch 1.13 has it for CUDA only.
    const auto inverse_scale = torch::full({1}, inverse, found.options());
    at::_amp_foreach_non_finite_check_and_unscale_(defined, found, inverse_scale);
    return found;
  }
  // Elsewhere: one reduction per tensor, all staying on the device; the
  // caller reads the flag once per step.
  std::vector<torch::Tensor> bad;
  bad.reserve(defined.size());
  for (auto& gradient : defined) {
    torch::NoGradGuard no_grad;
    if (inverse != 1.0) gradient.mul_(inverse);
    bad.push_back(torch::isfinite(gradient).logical_not().any().reshape({1}));
  }
  return torch::cat(bad).any().to(torch::kFloat).reshape({1});
}

void DynamicLossScaler::update(bool found_nonfinite) {
  if (!settings_.enabled) return;
  if (found_nonfinite) {
    scale_ *= settings_.backoff_factor;
    growth_tracker_ = 0;
    return;
  }
  if (++growth_tracker_ >= settings_.growth_interval) {
    scale_ *= settings_.growth_factor;
    growth_tracker_ = 0;
  }
}

void DynamicLossScaler::save(torch::serialize::OutputArchive& archive) const {
  archive.write("scale", torch::tensor(scale_, torch::kDouble));
  archive.write("growth_tracker", torch::tensor(growth_tracker_, torch::kLong));
}

void DynamicLossScaler::load(torch::serialize::InputArchive& archive) {
  torch::Tensor scale;
  torch::Tensor tracker;
  archive.read("scale", scale);
  archive.read("growth_tracker", tracker);
  scale_ = scale.item<double>();
  growth_tracker_ = tracker.item<int64_t>();
}

}  // namespace stegolab
