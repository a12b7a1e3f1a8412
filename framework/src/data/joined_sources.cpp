#include "data/joined_sources.hpp"

#include <algorithm>
#include <utility>

#include <torch/torch.h>

#include "stegolab/errors.hpp"

namespace stegolab {
namespace {

std::string part_name(const JoinedSources::Part& part) {
  return part.split.empty() ? std::string("data") : "data." + part.split;
}

std::string extent_text(const ImageExtent& extent) {
  // What a source of whole-image evaluation reports (ImageSource::whole_image_evaluation).
  if (extent == ImageExtent{}) return "whole images";
  return std::to_string(extent.height) + "x" + std::to_string(extent.width);
}

}  // namespace

JoinedSources::JoinedSources(std::vector<Part> parts) : parts_(std::move(parts)) {
  if (parts_.empty()) throw Error("joined data sources: no source given");
  const Part& first = parts_.front();
  for (const Part& part : parts_) {
    offsets_.push_back(total_);
    total_ += part.source->size();
    for (const bool augment : {true, false}) {
      if (part.source->sample_extent(augment) != first.source->sample_extent(augment)) {
        throw Error(part_name(part) + ": " + (augment ? "training" : "evaluation") +
                    " samples are " + extent_text(part.source->sample_extent(augment)) +
                    " but " + part_name(first) + "'s are " +
                    extent_text(first.source->sample_extent(augment)) +
                    "; every split's source must cut samples of one size");
      }
    }
    if (part.source->channels() != first.source->channels()) {
      throw Error(part_name(part) + ": " + std::to_string(part.source->channels()) +
                  " channels, but " + part_name(first) + " has " +
                  std::to_string(first.source->channels()));
    }
  }
}

size_t JoinedSources::part_of(int64_t index) const {
  if (index < 0 || index >= total_) {
    throw Error("joined data sources: index " + std::to_string(index) + " out of range [0, " +
                std::to_string(total_) + ")");
  }
  const auto after = std::upper_bound(offsets_.begin(), offsets_.end(), index);
  return static_cast<size_t>(after - offsets_.begin() - 1);
}

ImageExtent JoinedSources::extent(int64_t index) const {
  const size_t part = part_of(index);
  return parts_[part].source->extent(index - offsets_[part]);
}

std::string JoinedSources::image_name(int64_t index) const {
  const size_t part = part_of(index);
  return parts_[part].source->image_name(index - offsets_[part]);
}

ImageExtent JoinedSources::sample_extent(bool augment) const {
  return parts_.front().source->sample_extent(augment);
}

int64_t JoinedSources::crops_per_image() const {
  for (const Part& part : parts_) {
    if (part.split == "train") return part.source->crops_per_image();
  }
  return parts_.front().source->crops_per_image();
}

torch::Tensor JoinedSources::load_by_part(
    const torch::Tensor& indices,
    const std::function<torch::Tensor(ImageSource&, const torch::Tensor&)>& load_part) {
  const torch::Tensor cpu = indices.cpu().contiguous();
  const int64_t n = cpu.numel();
  if (n == 0) return load_part(*parts_.front().source, cpu);
  const int64_t* values = cpu.data_ptr<int64_t>();
  // A batch comes from one split, so usually from one part: one call, in order.
  std::vector<torch::Tensor> pieces;
  int64_t begin = 0;
  while (begin < n) {
    const size_t part = part_of(values[begin]);
    int64_t end = begin + 1;
    while (end < n && part_of(values[end]) == part) ++end;
    pieces.push_back(load_part(*parts_[part].source, cpu.slice(0, begin, end) - offsets_[part]));
    begin = end;
  }
  return pieces.size() == 1 ? pieces.front() : torch::cat(pieces);
}

torch::Tensor JoinedSources::load(const torch::Tensor& indices, torch::Device device,
                                  bool augment) {
  return load_by_part(indices, [&](ImageSource& part, const torch::Tensor& own) {
    return part.load(own, device, augment);
  });
}

torch::Tensor JoinedSources::load_window(const torch::Tensor& indices, ImageExtent window,
                                         torch::Device device) {
  return load_by_part(indices, [&](ImageSource& part, const torch::Tensor& own) {
    return part.load_window(own, window, device);
  });
}

void JoinedSources::seed_augmentations(uint64_t seed) {
  for (Part& part : parts_) part.source->seed_augmentations(seed);
}

DatasetSplits make_trial_splits(const ImageSource& source, const DataSplit& fractions,
                                uint64_t seed) {
  const auto* joined = dynamic_cast<const JoinedSources*>(&source);
  if (joined == nullptr) return make_dataset_splits(source.size(), fractions, seed);
  DatasetSplits splits;
  const auto& parts = joined->parts();
  for (size_t p = 0; p < parts.size(); ++p) {
    const int64_t offset = joined->offset(p);
    const int64_t size = parts[p].source->size();
    if (parts[p].split.empty()) {
      const DatasetSplits shared = make_dataset_splits(size, fractions, seed);
      if (!splits.train.defined()) splits.train = shared.train + offset;
      if (!splits.val.defined()) splits.val = shared.val + offset;
      if (!splits.test.defined()) splits.test = shared.test + offset;
      continue;
    }
    torch::Tensor& own = parts[p].split == "train" ? splits.train
                         : parts[p].split == "val" ? splits.val
                                                   : splits.test;
    own = torch::arange(offset, offset + size, torch::kLong);
  }
  for (torch::Tensor* split : {&splits.train, &splits.val, &splits.test}) {
    if (!split->defined()) *split = torch::empty({0}, torch::kLong);
  }
  return splits;
}

}  // namespace stegolab
