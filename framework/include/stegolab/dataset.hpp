// ImageSource: where training and evaluation images come from.
#pragma once

#include <cstdint>
#include <string>

#include <torch/types.h>

#include "stegolab/export.hpp"
#include "stegolab/plugin.hpp"

namespace stegolab {

// Pixels down and across.
struct ImageExtent {
  int64_t height = 0;
  int64_t width = 0;
  bool operator==(const ImageExtent& other) const {
    return height == other.height && width == other.width;
  }
  bool operator!=(const ImageExtent& other) const { return !(*this == other); }
};

// A fixed, indexable set of images of any sizes. The host splits the indices
// into train / validation / test and pairs covers with secrets; a source
// produces the pixels of the samples: it decides how an image of its own
// size becomes a sample of sample_extent() (crops, resizing). No OpenCV (or
// other library) types cross this interface.
class STEGOLAB_VISIBLE ImageSource {
 public:
  virtual ~ImageSource();
  virtual int64_t size() const = 0;  // number of images
  // Image `index` as stored, before any crop or resize; {0, 0} when it
  // cannot be read (load() then serves a replacement, see the source).
  virtual ImageExtent extent(int64_t index) const = 0;
  // The size of every image load() returns for training (`augment`) or for
  // evaluation.
  virtual ImageExtent sample_extent(bool augment) const = 0;
  // Training samples the host draws from each image in a row (each a fresh
  // random crop), so that one decode serves them all.
  virtual int64_t crops_per_image() const { return 1; }
  virtual int64_t channels() const { return 3; }
  // A stable name of image `index` in [0, size()), unique within the source,
  // by which files of fixed samples refer to it (an image folder: the file's
  // path relative to the folder). Default: the index as text.
  virtual std::string image_name(int64_t index) const;
  // The samples of the images at `indices` (int64, CPU) as uint8
  // [N, H, W, C] on `device`, [H, W] = sample_extent(augment).
  // `augment` asks for the source's random augmentations (training only);
  // they are deterministic given the last seed_augmentations() seed (the
  // seed in BuildContext before the first) and the sequence of indices asked
  // for, whatever the batch sizes of the calls.
  virtual torch::Tensor load(const torch::Tensor& indices, torch::Device device, bool augment) = 0;
  // Restarts the augmentations' random stream from `seed`. The host calls it
  // before every training epoch with a seed derived from the trial's seed
  // and the epoch, so that a trial resumed from a checkpoint draws exactly
  // the augmentations an uninterrupted one would. A source whose load()
  // draws nothing random implements it as a no-op.
  virtual void seed_augmentations(uint64_t seed) = 0;

  // Whether evaluation samples are whole images at their own sizes rather
  // than windows of one size. sample_extent(false) is then {0, 0}, and the
  // host loads evaluation batches with load_window(), grouping samples of one
  // extent into a batch.
  virtual bool whole_image_evaluation() const { return false; }
  // Evaluation samples of the images at `indices` (int64, CPU) as uint8
  // [N, window.height, window.width, C] on `device`: the centre window of
  // each image, an image smaller than the window enlarged first (aspect
  // kept), as evaluation windows are cut. Called by the host only for a
  // source with whole_image_evaluation(), with the extent of the batch's
  // first-named images, so the other images of a sample are fitted to it.
  // Default: throws PluginError (a source that never evaluates whole images).
  virtual torch::Tensor load_window(const torch::Tensor& indices, ImageExtent window,
                                    torch::Device device);
};

template <>
struct KindOf<ImageSource> {
  static constexpr const char* name = "dataset";
};

}  // namespace stegolab
