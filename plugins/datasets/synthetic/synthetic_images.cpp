// The `synthetic` dataset: procedural images generated on the requested
// device, so experiments and tests need no files. Each image is a smooth
// colour gradient, overlaid with oriented sinusoid textures, a few discs and
// rectangles, and noise at several scales: enough structure at every
// frequency to make hiding non-trivial.
//
// Every random number is a counter-based hash of (seed, image index, slot)
// computed as integer tensor ops, so image i is the same whichever batch it is
// generated in, and nothing iterates over images or pixels.
#include <cmath>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "stegolab/dataset.hpp"
#include "stegolab/errors.hpp"
#include "stegolab/plugin.hpp"

namespace stegolab {
namespace {

constexpr int64_t kMask32 = 0xffffffffLL;

// Chris Wellons' "lowbias32" integer hash, on the host.
uint32_t hash32(uint32_t x) {
  x ^= x >> 16;
  x *= 0x7feb352dU;
  x ^= x >> 15;
  x *= 0x846ca68bU;
  x ^= x >> 16;
  return x;
}

// x * c mod 2^32 for int64 tensors holding values in [0, 2^32): split c into
// 16-bit halves so no intermediate product leaves the int64 range.
torch::Tensor multiply32(const torch::Tensor& x, uint32_t c) {
  const int64_t low = c & 0xffffU;
  const int64_t high = c >> 16;
  const torch::Tensor upper = torch::bitwise_left_shift(torch::bitwise_and(x * high, 0xffff), 16);
  return torch::bitwise_and(x * low + upper, kMask32);
}

// The same hash, elementwise, on int64 tensors holding uint32 values.
torch::Tensor hash32(torch::Tensor x) {
  x = torch::bitwise_xor(x, torch::bitwise_right_shift(x, 16));
  x = multiply32(x, 0x7feb352dU);
  x = torch::bitwise_xor(x, torch::bitwise_right_shift(x, 15));
  x = multiply32(x, 0x846ca68bU);
  return torch::bitwise_xor(x, torch::bitwise_right_shift(x, 16));
}

// Keeps the flips' stream apart from other streams seeded with the same seed.
constexpr uint64_t kFlipStream = 0x5eedf11bULL;

class SyntheticImages : public ImageSource {
 public:
  SyntheticImages(int64_t size, int64_t count, int64_t channels, bool flip, uint64_t seed)
      : size_(size),
        count_(count),
        channels_(channels),
        flip_(flip),
        flip_engine_(seed ^ kFlipStream) {
    seed_key_ =
        hash32(static_cast<uint32_t>(seed & kMask32) ^ hash32(static_cast<uint32_t>(seed >> 32)));
  }

  int64_t size() const override { return count_; }
  ImageExtent extent(int64_t /*index*/) const override { return {size_, size_}; }
  ImageExtent sample_extent(bool /*augment*/) const override { return {size_, size_}; }
  int64_t channels() const override { return channels_; }
  // The index as text: there is no file, and the index fixes the pixels.
  std::string image_name(int64_t index) const override {
    if (index < 0 || index >= count_) {
      throw PluginError("dataset 'synthetic': no image " + std::to_string(index) + " of " +
                        std::to_string(count_));
    }
    return std::to_string(index);
  }
  void seed_augmentations(uint64_t seed) override { flip_engine_.seed(seed ^ kFlipStream); }

  torch::Tensor load(const torch::Tensor& indices, torch::Device device, bool augment) override {
    if (indices.dim() != 1 || indices.scalar_type() != torch::kLong) {
      throw PluginError("dataset 'synthetic': indices must be a 1-D int64 tensor");
    }
    const int64_t n = indices.size(0);
    if (n > 0) {
      const int64_t low = indices.min().item<int64_t>();
      const int64_t high = indices.max().item<int64_t>();
      if (low < 0 || high >= count_) {
        throw PluginError("dataset 'synthetic': index out of range [0, " + std::to_string(count_) +
                          "): " + std::to_string(low < 0 ? low : high));
      }
    }
    torch::Tensor images = generate(indices.to(device));
    if (augment && flip_ && n > 0) images = flip_some(images);
    return images;
  }

  // uint8 [N, H, W, C] for int64 `indices` on the target device.
  torch::Tensor generate(const torch::Tensor& indices) const {
    torch::NoGradGuard no_grad;
    const int64_t n = indices.size(0);
    const int64_t s = size_;
    const int64_t c = channels_;
    const auto device = indices.device();
    const auto real = torch::TensorOptions().dtype(torch::kFloat).device(device);
    if (n == 0) return torch::empty({0, s, s, c}, real.dtype(torch::kByte));

    const torch::Tensor index_low = torch::bitwise_and(indices, kMask32);
    const torch::Tensor index_high = torch::bitwise_right_shift(indices, 32);
    const torch::Tensor base = hash32(
        torch::bitwise_xor(index_low, hash32(torch::bitwise_xor(index_high, int64_t{seed_key_}))));

    // Pixel centres in [0, 1].
    const torch::Tensor coordinate = (torch::arange(s, real) + 0.5) / static_cast<double>(s);
    const torch::Tensor x = coordinate.view({1, 1, 1, s});
    const torch::Tensor y = coordinate.view({1, 1, s, 1});

    const torch::Tensor u = uniforms(base, 0, {40});             // per-image scalars
    const torch::Tensor colours = uniforms(base, 1000, {8, c});  // per-image colours
    auto scalar = [&](int64_t slot) { return u.select(1, slot).view({n, 1, 1, 1}); };
    auto colour = [&](int64_t slot) { return colours.select(1, slot).view({n, c, 1, 1}); };

    // Smooth gradient between two colours along a random direction.
    const torch::Tensor angle = scalar(0) * (2.0 * M_PI);
    const torch::Tensor along =
        ((x - 0.5) * torch::cos(angle) + (y - 0.5) * torch::sin(angle)) * M_SQRT1_2 + 0.5;
    torch::Tensor image = colour(0) + (colour(1) - colour(0)) * along;

    // Two oriented sinusoids, 2 to 16 cycles per image, tinted.
    for (int64_t k = 0; k < 2; ++k) {
      const int64_t o = 1 + 4 * k;
      const torch::Tensor frequency = 2.0 + 14.0 * scalar(o);
      const torch::Tensor orientation = scalar(o + 1) * M_PI;
      const torch::Tensor phase = scalar(o + 2) * (2.0 * M_PI);
      const torch::Tensor amplitude = 0.12 * scalar(o + 3);
      const torch::Tensor wave = torch::sin(
          2.0 * M_PI * frequency * (x * torch::cos(orientation) + y * torch::sin(orientation)) +
          phase);
      image = image + amplitude * wave * (0.5 + 0.5 * colour(6 + k));
    }

    // Four shapes, discs or rectangles, with edges anti-aliased over a pixel.
    for (int64_t k = 0; k < 4; ++k) {
      const int64_t o = 10 + 6 * k;
      const torch::Tensor cx = scalar(o);
      const torch::Tensor cy = scalar(o + 1);
      const torch::Tensor radius = 0.05 + 0.25 * scalar(o + 2);
      const torch::Tensor height = radius * (0.5 + scalar(o + 3));
      const torch::Tensor opacity = 0.6 + 0.4 * scalar(o + 4);
      const torch::Tensor is_disc = scalar(o + 5) < 0.5;
      const double pixels = static_cast<double>(s);
      const torch::Tensor distance = torch::sqrt((x - cx).square() + (y - cy).square());
      const torch::Tensor disc = ((radius - distance) * pixels + 0.5).clamp(0.0, 1.0);
      const torch::Tensor rectangle = ((radius - (x - cx).abs()) * pixels + 0.5).clamp(0.0, 1.0) *
                                      ((height - (y - cy).abs()) * pixels + 0.5).clamp(0.0, 1.0);
      const torch::Tensor mask = torch::where(is_disc, disc, rectangle) * opacity;
      image = image * (1.0 - mask) + colour(2 + k) * mask;
    }

    // Value noise at several scales (bilinearly upsampled grids), partly
    // shared between channels like real sensor and texture noise.
    const torch::Tensor strength = 0.2 + 0.8 * scalar(34);
    const std::vector<std::pair<int64_t, double>> scales = {
        {4, 0.15}, {8, 0.10}, {16, 0.06}, {s, 0.03}};
    for (size_t level = 0; level < scales.size(); ++level) {
      const int64_t grid = std::min(scales[level].first, s);
      torch::Tensor noise =
          uniforms(base, 100000 + static_cast<int64_t>(level) * 1000000, {c, grid, grid});
      noise = (noise - 0.5) * 2.0;
      noise = 0.6 * noise.mean(1, true) + 0.4 * noise;
      if (grid != s) {
        noise = torch::nn::functional::interpolate(noise,
                                                   torch::nn::functional::InterpolateFuncOptions()
                                                       .size(std::vector<int64_t>{s, s})
                                                       .mode(torch::kBilinear)
                                                       .align_corners(false));
      }
      image = image + strength * scales[level].second * noise;
    }

    return (image.clamp(0.0, 1.0) * 255.0)
        .round()
        .to(torch::kByte)
        .permute({0, 2, 3, 1})
        .contiguous();
  }

 private:
  // Uniform [0, 1) floats of shape [N, shape...] for hash slots
  // first_slot .. first_slot + prod(shape) - 1 of each image.
  torch::Tensor uniforms(const torch::Tensor& base, int64_t first_slot,
                         std::vector<int64_t> shape) const {
    int64_t slots = 1;
    for (int64_t extent : shape) slots *= extent;
    const torch::Tensor keys = hash32(torch::bitwise_and(
        torch::arange(first_slot + 1, first_slot + 1 + slots, base.options()), kMask32));
    const torch::Tensor hashed = hash32(torch::bitwise_xor(base.view({-1, 1}), keys.view({1, -1})));
    shape.insert(shape.begin(), base.size(0));
    return (hashed.to(torch::kFloat) * (1.0 / 4294967296.0)).view(shape);
  }

  // Horizontal flips of a random half, decided on the host (one draw per
  // image per call), so they depend only on the seed and the call order.
  torch::Tensor flip_some(const torch::Tensor& images) {
    const int64_t n = images.size(0);
    std::vector<uint8_t> decisions(static_cast<size_t>(n));
    for (auto& decision : decisions) decision = static_cast<uint8_t>(flip_engine_() >> 63);
    const torch::Tensor mask =
        torch::tensor(decisions, torch::kByte).to(torch::kBool).to(images.device());
    return torch::where(mask.view({n, 1, 1, 1}), images.flip({2}), images);
  }

  int64_t size_;
  int64_t count_;
  int64_t channels_;
  bool flip_ = true;
  uint32_t seed_key_ = 0;
  std::mt19937_64 flip_engine_;
};

PluginInfo synthetic_info() {
  PluginInfo info;
  info.version = "1.0";
  info.summary =
      "procedural images (gradients, shapes, textures, multi-scale noise) made on the device";
  info.params = {
      {"size", "int", 64, "pixels per side", 2.0, 65536.0},
      {"count", "int", 512, "number of images", 2.0, 1e9},
      {"channels", "int", 3, "channels per image", 1.0, 64.0},
      {"augment_flip", "bool", true, "training: random horizontal flips"},
  };
  return info;
}

std::shared_ptr<ImageSource> make_synthetic(const Params& params, const BuildContext& context) {
  const int64_t size = params.get_int_at_least("size", 64, 2);
  const int64_t count = params.get_int_at_least("count", 512, 1);
  const int64_t channels = params.get_int_at_least("channels", 3, 1);
  const bool flip = params.get_bool("augment_flip", true);
  return std::make_shared<SyntheticImages>(size, count, channels, flip, context.seed);
}

}  // namespace
}  // namespace stegolab

STEGOLAB_PLUGIN(stegolab::ImageSource, synthetic, stegolab::synthetic_info,
                stegolab::make_synthetic)
