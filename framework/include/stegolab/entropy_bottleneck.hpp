// Factorized entropy bottleneck (Ballé et al. 2018, appendix 6.1): a learned
// non-parametric density per channel, a cumulative built from small
// monotonic layers. Training adds uniform noise to the latents; evaluation
// rounds them around the per-channel medians, which the auxiliary loss
// learns (with the tails) in a parameter group of its own ("entropy_aux").
// update_tables() turns the density into integer CDF tables: coding depends
// on those integers and the medians only.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include <torch/nn/module.h>
#include <torch/types.h>

#include "stegolab/cdf_table.hpp"
#include "stegolab/export.hpp"
#include "stegolab/parameter_group.hpp"
#include "stegolab/rans_coder.hpp"

namespace stegolab {

// The group the auxiliary (quantile) parameters are optimised in.
constexpr const char* kEntropyAuxGroup = "entropy_aux";

// Quantised (or noisy) values and their likelihoods, same shape.
struct QuantizedLatents {
  torch::Tensor values;
  torch::Tensor likelihoods;
};

struct EntropyBottleneckSettings {
  int64_t channels = 192;
  double tail_mass = 1e-9;
  double init_scale = 10.0;
  std::vector<int64_t> filters = {3, 3, 3};
  double aux_learning_rate = 1e-3;
};

class STEGOLAB_VISIBLE EntropyBottleneck : public torch::nn::Module {
 public:
  explicit EntropyBottleneck(EntropyBottleneckSettings settings);
  ~EntropyBottleneck() override;

  // latents: [N, C, H, W] float. Noise when training, rounding otherwise.
  QuantizedLatents forward(const torch::Tensor& latents);
  // How far the quantile parameters are from the tails and the median of
  // the density; only they receive its gradient.
  torch::Tensor aux_loss() const;
  // Per-channel medians [C].
  torch::Tensor medians() const;
  // latents [N, C, H, W] rounded around the medians: forward()'s values in
  // evaluation mode, what decompress() returns.
  torch::Tensor round_around_medians(const torch::Tensor& latents) const;

  // Rebuilds the integer tables from the current density (after training,
  // after loading weights); compress() and decompress() need them.
  void update_tables();
  bool has_tables() const { return !tables_.empty(); }
  // latents: [1, C, H, W]; the rounded symbols go to `encoder`, channel by channel.
  void compress(const torch::Tensor& latents, RansEncoder& encoder) const;
  // The quantised latents of shape [1, C, height, width], as forward() in
  // evaluation mode gives them, on the module's device.
  torch::Tensor decompress(RansDecoder& decoder, int64_t height, int64_t width) const;

 private:
  torch::Tensor logits_cumulative(const torch::Tensor& inputs, bool stop_gradient) const;
  torch::Tensor likelihood(const torch::Tensor& inputs) const;

  EntropyBottleneckSettings settings_;
  std::vector<torch::Tensor> matrices_, biases_, factors_;
  std::shared_ptr<GroupedParameters> auxiliary_;
  torch::Tensor quantiles_;  // [C, 1, 3]: lower tail, median, upper tail
  std::vector<CdfTable> tables_;
};

}  // namespace stegolab
