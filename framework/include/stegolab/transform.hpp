// Transform: a multi-level 2-D wavelet transform in front of the model.
//
// A plugin implements one analysis level and its synthesis on even-sized
// input; this base class does the rest once for every transform: padding of
// odd sizes, recursion on the LL band, packing of all levels into one tensor,
// and the band layout. It keeps no state between calls: everything the
// inverse needs travels in WaveletBands.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <torch/types.h>

#include "stegolab/export.hpp"
#include "stegolab/plugin.hpp"

namespace stegolab {

// The coefficients of a whole batch, all levels packed into one tensor
// [N, C * 4^levels, ceil(H / 2^levels), ceil(W / 2^levels)] (see band_layout),
// plus the input size, so the inverse crops exactly what forward padded.
struct WaveletBands {
  torch::Tensor coefficients;
  int64_t height = 0;
  int64_t width = 0;
};

// Where one band lives in WaveletBands::coefficients. Bands of finer levels
// are folded into channels by pixel_unshuffle (a permutation, so exactly
// invertible); `channel_count` is C * 4^(levels - level) for them.
struct BandSlice {
  std::string
      name;       // "LL", "LH", "HL", "HH": first letter along the width, second along the height
  int level = 1;  // 1 is the finest
  int64_t channel_begin = 0;
  int64_t channel_count = 0;
};

class STEGOLAB_VISIBLE Transform {
 public:
  virtual ~Transform();

  // images: NCHW, any batch, any channel count, any height and width >= 1.
  // Float transforms accept any range; integer transforms map integer-valued
  // input to integer-valued coefficients (compute in fp32 whatever the input
  // dtype or autocast state: exactness is never traded for speed).
  WaveletBands forward(const torch::Tensor& images) const;
  torch::Tensor inverse(const WaveletBands& bands) const;

  // The same for images NCHW in [-1, 1], on the scale a network and a loss
  // work with: float transforms see the images as they are; integer
  // transforms see 0..255 pixel values (so an 8-bit image gives integer
  // coefficients) and their coefficients are divided by 255, which keeps both
  // kinds at similar magnitudes. inverse_images() returns [-1, 1] images.
  WaveletBands forward_images(const torch::Tensor& images) const;
  torch::Tensor inverse_images(const WaveletBands& bands) const;
  // Several images of `channels` channels stacked along the channels
  // ([N, k*channels, H, W], e.g. the k secrets of one cover), each transformed
  // on its own as by forward_images(): [N, k*B, h, w], image j's
  // B = coefficient_channels(channels) channels together, in order.
  WaveletBands forward_image_stack(const torch::Tensor& images, int64_t channels) const;
  torch::Tensor inverse_image_stack(const WaveletBands& bands, int64_t channels) const;
  // One more analysis level of an LL band on forward_images()'s scale:
  // [N, C, h, w] -> the LL band of that, [N, C, ceil(h/2), ceil(w/2)].
  torch::Tensor coarser_ll(const torch::Tensor& ll) const;

  // The layout of forward()'s channels for `channels` input channels:
  // LL of the coarsest level first, then LH, HL, HH from coarsest to finest.
  std::vector<BandSlice> band_layout(int64_t channels) const;
  // Channel count and spatial size of forward()'s output.
  int64_t coefficient_channels(int64_t channels) const;
  int64_t coefficient_size(int64_t pixels) const;

  int levels() const { return levels_; }
  virtual bool is_integer() const = 0;
  virtual std::string name() const = 0;

 protected:
  explicit Transform(int levels);

  // One level on an NCHW tensor with even H and W. Returns
  // [N, 4C, H/2, W/2] ordered band-major: LL | LH | HL | HH, C channels each.
  virtual torch::Tensor analyze(const torch::Tensor& images) const = 0;
  // Exact inverse of analyze().
  virtual torch::Tensor synthesize(const torch::Tensor& bands) const = 0;

 private:
  int levels_;
};

template <>
struct KindOf<Transform> {
  static constexpr const char* name = "transform";
};

// Rounding for integer lifting inside training: forward floor(x), backward
// the identity (straight-through estimator), so gradients see the
// un-rounded lifting step.
STEGOLAB_VISIBLE torch::Tensor straight_through_floor(const torch::Tensor& x);

}  // namespace stegolab
