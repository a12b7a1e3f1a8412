// The sources of a trial whose splits come from different sources (a
// folder per split, as DIV2K comes), seen as one ImageSource: part p's image
// i is index offset(p) + i. Everything downstream (splits as index sets,
// pairing, the batch pipeline) stays as for one source.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "data/dataset_splits.hpp"
#include "stegolab/dataset.hpp"

namespace stegolab {

class JoinedSources : public ImageSource {
 public:
  // `split`: "train", "val" or "test" for a split's own source, "" for the
  // source the other splits take fractions of.
  struct Part {
    std::string split;
    std::shared_ptr<ImageSource> source;
  };
  // Throws stegolab::Error naming the split when the parts' samples differ
  // in size or channels (one model sees them all).
  explicit JoinedSources(std::vector<Part> parts);

  int64_t size() const override { return total_; }
  ImageExtent extent(int64_t index) const override;
  ImageExtent sample_extent(bool augment) const override;
  int64_t crops_per_image() const override;
  int64_t channels() const override { return parts_.front().source->channels(); }
  // The part's own name of the image (names of two parts may coincide; a
  // lookup by name then finds the earlier part's image).
  std::string image_name(int64_t index) const override;
  torch::Tensor load(const torch::Tensor& indices, torch::Device device, bool augment) override;
  void seed_augmentations(uint64_t seed) override;
  // The parts agree on it: their evaluation samples' extents are compared.
  bool whole_image_evaluation() const override {
    return parts_.front().source->whole_image_evaluation();
  }
  torch::Tensor load_window(const torch::Tensor& indices, ImageExtent window,
                            torch::Device device) override;

  const std::vector<Part>& parts() const { return parts_; }
  int64_t offset(size_t part) const { return offsets_[part]; }

 private:
  size_t part_of(int64_t index) const;
  // `load_part(part, its own indices)` for each run of consecutive indices
  // of one part, the results concatenated in order.
  torch::Tensor load_by_part(
      const torch::Tensor& indices,
      const std::function<torch::Tensor(ImageSource&, const torch::Tensor&)>& load_part);

  std::vector<Part> parts_;
  std::vector<int64_t> offsets_;
  int64_t total_ = 0;
};

// The trial's splits: fractions of `source` (make_dataset_splits), or, for
// JoinedSources, every image of each split's own source and fractions of
// the shared one for the other splits.
DatasetSplits make_trial_splits(const ImageSource& source, const DataSplit& fractions,
                                uint64_t seed);

}  // namespace stegolab
