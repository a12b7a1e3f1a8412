// Attack: what happens to an image on its way from sender to receiver (an
// 8-bit file, JPEG, noise, resizing, cropping), batched on the device. A task
// applies attacks between the two halves of its model: a mix of them while
// training, each in turn while evaluating, to measure robustness.
#pragma once

#include <cstdint>
#include <string>

#include <torch/types.h>

#include "stegolab/export.hpp"
#include "stegolab/plugin.hpp"

namespace stegolab {

enum class AttackMode {
  // Differentiable in `image` (the real operation with a straight-through
  // gradient, or a smooth stand-in); random draws from the device's default
  // generator, which the trainer seeds.
  training,
  // The real operation, no gradient; random draws from a CPU generator seeded
  // by the call's `seed`, so a split's numbers are the same on every device.
  evaluation,
};

class STEGOLAB_VISIBLE Attack {
 public:
  virtual ~Attack();
  // image: the sent images, NCHW float in [-1, 1] on the device; original:
  // the same images before anything was hidden in them (same shape), which
  // fills what an attack removes (crop, dropout), as HiDDeN does. Returns the
  // received images, same shape and device, float in [-1, 1].
  virtual torch::Tensor apply(const torch::Tensor& image, const torch::Tensor& original,
                              AttackMode mode, uint64_t seed) = 0;
  // The attack with its parameters as results name it, e.g. "jpeg(q=90)":
  // letters, digits and "(),.=_-" only.
  virtual std::string label() const = 0;
};

template <>
struct KindOf<Attack> {
  static constexpr const char* name = "attack";
};

// Checks what an attack returned (same shape as `image`, floating point) and
// throws PluginError naming `owner` ("attack 'jpeg'") otherwise.
STEGOLAB_VISIBLE torch::Tensor apply_checked(Attack& attack, const std::string& owner,
                                             const torch::Tensor& image,
                                             const torch::Tensor& original, AttackMode mode,
                                             uint64_t seed);

// `received` (computed from `image` without a gradient: a real JPEG, an
// 8-bit file) in the forward pass, the identity towards `image` in backward:
// a straight-through estimator. Exactly `received`'s values (no re-rounding).
STEGOLAB_VISIBLE torch::Tensor straight_through(const torch::Tensor& image,
                                                const torch::Tensor& received);

// Uniform [0, 1) (`normal` false) or standard normal draws of `sizes`, fp32
// on `device`, as AttackMode says: in evaluation from a CPU generator
// seeded by `seed` (then copied to the device), in training from the
// device's default generator.
STEGOLAB_VISIBLE torch::Tensor attack_random(c10::IntArrayRef sizes, torch::Device device,
                                             AttackMode mode, uint64_t seed, bool normal);

}  // namespace stegolab
