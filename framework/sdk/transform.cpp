// The multi-level machinery shared by every wavelet transform: padding,
// recursion on LL, packing of all levels into one tensor, band layout.
#include "stegolab/transform.hpp"

#include "stegolab/pixel_scale.hpp"

#include <optional>

#include <torch/torch.h>

#include "stegolab/errors.hpp"
#include "stegolab/torch_compat.hpp"

namespace stegolab {

namespace {

// Edge replication along `dim` up to `target` samples. Built from narrow/expand/cat
// rather than F::pad(kReplicate) because those work for every dtype (bf16, fp64)
// and every device, and autograd sums the gradient of the copies back onto the edge.
torch::Tensor replicate_to(const torch::Tensor& x, int64_t dim, int64_t target) {
  const int64_t size = x.size(dim);
  if (size == target) return x;
  std::vector<int64_t> shape = x.sizes().vec();
  shape[dim] = target - size;
  return torch::cat({x, x.narrow(dim, size - 1, 1).expand(shape)}, dim);
}

// The dtype a transform computes in. Integer transforms need at least fp32:
// their coefficients are exact integers only while |value| < 2^24, which bf16
// and fp16 cannot hold. fp64 input stays fp64 (more exact, never less).
torch::ScalarType compute_dtype(const torch::Tensor& x, bool integer) {
  const auto dtype = x.scalar_type();
  if (dtype == torch::kDouble) return dtype;
  if (integer || !torch::isFloatingType(dtype)) return torch::kFloat;
  return dtype;
}

}  // namespace

Transform::Transform(int levels) : levels_(levels) {
  if (levels < 1) {
    throw ParamError("transform: 'levels' must be at least 1, got " + std::to_string(levels));
  }
}

int64_t Transform::coefficient_channels(int64_t channels) const {
  return channels << (2 * levels_);
}

int64_t Transform::coefficient_size(int64_t pixels) const {
  const int64_t block = int64_t{1} << levels_;
  return (pixels + block - 1) / block;
}

std::vector<BandSlice> Transform::band_layout(int64_t channels) const {
  std::vector<BandSlice> layout;
  layout.push_back({"LL", levels_, 0, channels});
  int64_t begin = channels;
  for (int level = levels_; level >= 1; --level) {
    // A band of level l is 2^(levels - l) times finer than the packed grid.
    const int64_t count = channels << (2 * (levels_ - level));
    for (const char* name : {"LH", "HL", "HH"}) {
      layout.push_back({name, level, begin, count});
      begin += count;
    }
  }
  return layout;
}

WaveletBands Transform::forward(const torch::Tensor& images) const {
  if (images.dim() != 4 || images.size(2) < 1 || images.size(3) < 1) {
    throw PluginError("transform '" + name() + "': forward() expects NCHW images with height and " +
                      "width >= 1, got shape " + c10::str(images.sizes()));
  }
  // Autocast must not lower the precision of integer lifting: its roundings are
  // only exact in fp32 or wider.
  std::optional<compat::AutocastExcludedScope> no_autocast;
  if (is_integer()) no_autocast.emplace();

  const int64_t height = images.size(2);
  const int64_t width = images.size(3);
  const int64_t channels = images.size(1);
  const int64_t block = int64_t{1} << levels_;

  torch::Tensor current = images.to(compute_dtype(images, is_integer()));
  current = replicate_to(current, 2, coefficient_size(height) * block);
  current = replicate_to(current, 3, coefficient_size(width) * block);

  std::vector<torch::Tensor> details;  // finest level first
  details.reserve(levels_);
  for (int level = 1; level <= levels_; ++level) {
    const torch::Tensor bands = analyze(current);
    current = bands.narrow(1, 0, channels);
    details.push_back(bands.narrow(1, channels, 3 * channels));
  }

  std::vector<torch::Tensor> parts{current};
  for (int level = levels_; level >= 1; --level) {
    const torch::Tensor& detail = details[level - 1];
    // pixel_unshuffle keeps band-major order: band b's C channels become its
    // C * r^2 consecutive channels.
    const int64_t factor = int64_t{1} << (levels_ - level);
    parts.push_back(factor == 1 ? detail : torch::pixel_unshuffle(detail, factor));
  }
  return {torch::cat(parts, 1), height, width};
}

torch::Tensor Transform::inverse(const WaveletBands& bands) const {
  const torch::Tensor& coefficients = bands.coefficients;
  const int64_t per_channel = int64_t{1} << (2 * levels_);
  if (!coefficients.defined() || coefficients.dim() != 4 ||
      coefficients.size(1) % per_channel != 0 ||
      coefficients.size(2) != coefficient_size(bands.height) ||
      coefficients.size(3) != coefficient_size(bands.width)) {
    throw PluginError("transform '" + name() + "' (levels " + std::to_string(levels_) +
                      "): inverse() got coefficients of shape " +
                      (coefficients.defined() ? c10::str(coefficients.sizes()) : "undefined") +
                      " for images of " + std::to_string(bands.height) + "x" +
                      std::to_string(bands.width) + "; expected [N, C*" +
                      std::to_string(per_channel) + ", " +
                      std::to_string(coefficient_size(bands.height)) + ", " +
                      std::to_string(coefficient_size(bands.width)) + "]");
  }
  std::optional<compat::AutocastExcludedScope> no_autocast;
  if (is_integer()) no_autocast.emplace();

  const torch::Tensor packed = coefficients.to(compute_dtype(coefficients, is_integer()));
  const int64_t channels = packed.size(1) / per_channel;
  torch::Tensor current = packed.narrow(1, 0, channels);
  int64_t begin = channels;
  for (int level = levels_; level >= 1; --level) {
    const int64_t factor = int64_t{1} << (levels_ - level);
    const int64_t count = 3 * channels * factor * factor;
    torch::Tensor detail = packed.narrow(1, begin, count);
    if (factor > 1) detail = torch::pixel_shuffle(detail, factor);
    current = synthesize(torch::cat({current, detail}, 1));
    begin += count;
  }
  return current.narrow(2, 0, bands.height).narrow(3, 0, bands.width);
}

namespace {
// Integer transforms work on 8-bit pixel values; their coefficients are
// brought back to about the range of a float transform's (see transform.hpp).
constexpr double kPixelScale = kPixelHalfRange;
constexpr double kIntegerCoefficientScale = 255.0;

// Integer lifting on values that should be integers but carry float rounding
// from a scaling (p / 127.5 - 1 for an 8-bit pixel p, c / 255 for a
// coefficient c): its floor would turn 99.99999 into 99. Values within 1e-3 of
// an integer are snapped to it, straight-through (gradients unchanged). The
// snap is exact: v + (n - v) == n in floating point when n and v are that close.
torch::Tensor snap_to_integers(const torch::Tensor& values) {
  const torch::Tensor detached = values.detach();
  const torch::Tensor nearest = detached.round();
  const torch::Tensor snapped = torch::where((detached - nearest).abs() < 1e-3, nearest, detached);
  return values + (snapped - detached);
}

// At least fp32, whatever autocast or the input dtype: see compute_dtype.
torch::Tensor integer_scaled(const torch::Tensor& x, double offset, double scale) {
  return snap_to_integers((x.to(compute_dtype(x, true)) + offset) * scale);
}

}  // namespace

WaveletBands Transform::forward_images(const torch::Tensor& images) const {
  if (!is_integer()) return forward(images);
  WaveletBands bands = forward(integer_scaled(images, 1.0, kPixelScale));
  bands.coefficients = bands.coefficients / kIntegerCoefficientScale;
  return bands;
}

torch::Tensor Transform::inverse_images(const WaveletBands& bands) const {
  if (!is_integer()) return inverse(bands);
  const WaveletBands pixels{integer_scaled(bands.coefficients, 0.0, kIntegerCoefficientScale),
                            bands.height, bands.width};
  return inverse(pixels) / kPixelScale - 1.0;
}

WaveletBands Transform::forward_image_stack(const torch::Tensor& images, int64_t channels) const {
  if (images.dim() != 4 || channels < 1 || images.size(1) % channels != 0) {
    throw PluginError("transform '" + name() + "': forward_image_stack() expects NCHW images of " +
                      "a multiple of " + std::to_string(channels) + " channels, got shape " +
                      c10::str(images.sizes()));
  }
  const int64_t n = images.size(0), stacked = images.size(1) / channels;
  // The images of the stack become batch entries: the transform never mixes them.
  WaveletBands bands = forward_images(
      images.reshape({n * stacked, channels, images.size(2), images.size(3)}));
  const torch::Tensor& c = bands.coefficients;
  bands.coefficients = c.reshape({n, stacked * c.size(1), c.size(2), c.size(3)});
  return bands;
}

torch::Tensor Transform::inverse_image_stack(const WaveletBands& bands, int64_t channels) const {
  const torch::Tensor& c = bands.coefficients;
  const int64_t per_image = coefficient_channels(channels);
  if (c.dim() != 4 || c.size(1) % per_image != 0) {
    throw PluginError("transform '" + name() + "': inverse_image_stack() expects a multiple of " +
                      std::to_string(per_image) + " coefficient channels, got shape " +
                      c10::str(c.sizes()));
  }
  const int64_t n = c.size(0), stacked = c.size(1) / per_image;
  const torch::Tensor images = inverse_images(WaveletBands{
      c.reshape({n * stacked, per_image, c.size(2), c.size(3)}), bands.height, bands.width});
  return images.reshape({n, stacked * channels, images.size(2), images.size(3)});
}

torch::Tensor Transform::coarser_ll(const torch::Tensor& ll) const {
  if (ll.dim() != 4) {
    throw PluginError("transform '" + name() + "': coarser_ll() expects an NCHW band, got shape " +
                      c10::str(ll.sizes()));
  }
  const double scale = is_integer() ? kIntegerCoefficientScale : 1.0;
  std::optional<compat::AutocastExcludedScope> no_autocast;
  if (is_integer()) no_autocast.emplace();
  torch::Tensor current = is_integer() ? integer_scaled(ll, 0.0, scale) : ll;
  current = replicate_to(current, 2, 2 * ((ll.size(2) + 1) / 2));
  current = replicate_to(current, 3, 2 * ((ll.size(3) + 1) / 2));
  return analyze(current).narrow(1, 0, ll.size(1)) / scale;
}

namespace {

// floor() forward, identity backward, as its own autograd node so that the
// forward value is exactly floor(x) in every dtype (the x + (floor(x) - x).detach()
// trick can round in low precision).
struct StraightThroughFloor : torch::autograd::Function<StraightThroughFloor> {
  static torch::Tensor forward(torch::autograd::AutogradContext* /*context*/,
                               const torch::Tensor& x) {
    return x.floor();
  }
  static torch::autograd::tensor_list backward(torch::autograd::AutogradContext* /*context*/,
                                               torch::autograd::tensor_list grad) {
    return {grad[0]};
  }
};

}  // namespace

torch::Tensor straight_through_floor(const torch::Tensor& x) {
  if (!x.requires_grad() || !torch::GradMode::is_enabled()) return x.floor();
  return StraightThroughFloor::apply(x);
}

}  // namespace stegolab
