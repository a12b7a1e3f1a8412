// ImageSource: where training and evaluation images come from.
#pragma once

#include <cstdint>
#include <string>

#include <torch/types.h>

#include "stegolab/export.hpp"
#include "stegolab/plugin.hpp"

namespace stegolab {

// A fixed, indexable set of square images. The host splits the indices into
// train / validation / test and pairs covers with secrets; a source only
// produces pixels. No OpenCV (or other library) types cross this interface.
class STEGOLAB_VISIBLE ImageSource {
 public:
  virtual ~ImageSource();
  virtual int64_t size() const = 0;        // number of images
  virtual int64_t image_size() const = 0;  // pixels per side
  virtual int64_t channels() const { return 3; }
  // A stable name of image `index` in [0, size()), unique within the source,
  // by which files of fixed samples refer to it (an image folder: the file's
  // path relative to the folder). Default: the index as text.
  virtual std::string image_name(int64_t index) const;
  // The images at `indices` (int64, CPU) as uint8 [N, H, W, C] on `device`.
  // `augment` asks for the source's random augmentations (training only);
  // they are deterministic given the last seed_augmentations() seed (the
  // seed in BuildContext before the first) and the call order.
  virtual torch::Tensor load(const torch::Tensor& indices, torch::Device device, bool augment) = 0;
  // Restarts the augmentations' random stream from `seed`. The host calls it
  // before every training epoch with a seed derived from the trial's seed
  // and the epoch, so that a trial resumed from a checkpoint draws exactly
  // the augmentations an uninterrupted one would. A source whose load()
  // draws nothing random implements it as a no-op.
  virtual void seed_augmentations(uint64_t seed) = 0;
};

template <>
struct KindOf<ImageSource> {
  static constexpr const char* name = "dataset";
};

}  // namespace stegolab
