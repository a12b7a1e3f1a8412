#include "data/batch_pipeline.hpp"

#include <chrono>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include <torch/torch.h>

#include "stegolab/errors.hpp"
#include "stegolab/pixel_scale.hpp"

namespace stegolab {

torch::Tensor to_model_images(const torch::Tensor& images_uint8_nhwc) {
  if (images_uint8_nhwc.dim() != 4 || images_uint8_nhwc.scalar_type() != torch::kByte) {
    throw Error("an image source returned " + std::to_string(images_uint8_nhwc.dim()) + "-d " +
                std::string(c10::toString(images_uint8_nhwc.scalar_type())) +
                " images; expected uint8 [N, H, W, C]");
  }
  return images_from_uint8(images_uint8_nhwc);
}

namespace {

// The common length of the named index lists; throws when they differ.
int64_t sample_count(const TensorMap& samples) {
  if (samples.empty()) throw Error("a batch pipeline needs at least one list of image indices");
  const int64_t n = samples.entries().front().second.numel();
  for (const auto& [name, indices] : samples.entries()) {
    if (indices.dim() != 1 || indices.numel() != n) {
      throw Error("the task's sample lists differ in length: " + samples.describe());
    }
  }
  return n;
}

}  // namespace

BatchPipeline::BatchPipeline(std::shared_ptr<ImageSource> source, torch::Device device,
                             bool augment, TensorMap samples, int64_t batch_size, bool drop_last)
    : source_(std::move(source)),
      device_(device),
      transfer_(make_transfer_stream(device)),
      augment_(augment),
      samples_(std::move(samples)),
      batch_size_(batch_size) {
  if (batch_size_ < 1) throw Error("batch size must be at least 1");
  const int64_t n = sample_count(samples_);
  sample_count_ = n;
  batch_count_ = drop_last ? n / batch_size_ : (n + batch_size_ - 1) / batch_size_;
  if (!augment_ && source_->whole_image_evaluation()) {
    whole_images_ =
        batches_by_extent(*source_, samples_.entries().front().second, batch_size_);
    batch_count_ = static_cast<int64_t>(whole_images_.size());
  }
  if (batch_count_ > 0) start(0);
}

BatchPipeline::~BatchPipeline() {
  // The worker may still be reading through source_; let it finish.
  if (pending_.valid()) pending_.wait();
}

torch::Tensor BatchPipeline::batch_indices(int64_t batch, int64_t& count) const {
  std::vector<torch::Tensor> lists;
  if (!whole_images_.empty()) {
    const torch::Tensor& positions = whole_images_[static_cast<size_t>(batch)].positions;
    count = positions.numel();
    for (const auto& [name, indices] : samples_.entries()) {
      lists.push_back(indices.index_select(0, positions));
    }
    return torch::cat(lists);
  }
  const int64_t begin = batch * batch_size_;
  const int64_t end = std::min(begin + batch_size_, sample_count_);
  count = end - begin;
  for (const auto& [name, indices] : samples_.entries()) {
    lists.push_back(indices.slice(0, begin, end));
  }
  return torch::cat(lists);
}

torch::Tensor BatchPipeline::load_pixels(int64_t batch, const torch::Tensor& indices) const {
  if (whole_images_.empty()) return source_->load(indices, device_, augment_);
  return source_->load_window(indices, whole_images_[static_cast<size_t>(batch)].extent, device_);
}

TensorMap BatchPipeline::load(int64_t batch) const {
  // Runs on the worker thread: grad mode is thread-local, and these tensors are data.
  torch::NoGradGuard no_grad;
  // Every named list in one load() call: one transfer, one conversion.
  int64_t count = 0;
  const torch::Tensor indices = batch_indices(batch, count);
  const auto load_begin = std::chrono::steady_clock::now();
  const std::vector<torch::Tensor> produced = transfer_->produce([&] {
    torch::Tensor loaded = load_pixels(batch, indices);
    // A source that made its pixels on the host anyway: uint8 is the smallest
    // form to move, so it moves before the conversion.
    if (loaded.device().type() != device_.type()) loaded = transfer_->upload(loaded);
    return std::vector<torch::Tensor>{to_model_images(loaded)};
  });
  const torch::Tensor& images = produced.front();
  if (images.size(0) != indices.size(0)) {
    throw Error("an image source returned " + std::to_string(images.size(0)) + " images for " +
                std::to_string(indices.size(0)) + " indices");
  }
  {
    std::lock_guard<std::mutex> lock(load_mutex_);
    load_seconds_ +=
        std::chrono::duration<double>(std::chrono::steady_clock::now() - load_begin).count();
    loaded_images_ += images.size(0);
  }
  TensorMap named;
  int64_t offset = 0;
  for (const auto& [name, list] : samples_.entries()) {
    named.set(name, images.slice(0, offset, offset + count));
    offset += count;
  }
  return named;
}

double BatchPipeline::load_rate() const {
  std::lock_guard<std::mutex> lock(load_mutex_);
  if (loaded_images_ == 0 || load_seconds_ <= 0.0) return NAN;
  return static_cast<double>(loaded_images_) / load_seconds_;
}

void BatchPipeline::start(int64_t batch) {
  // Loads stay strictly in order (one in flight), so a source's augmentation
  // sequence is the same with and without prefetching.
  pending_ = std::async(std::launch::async, [this, batch] { return load(batch); });
}

std::optional<TensorMap> BatchPipeline::next() {
  if (next_batch_ >= batch_count_) return std::nullopt;
  const auto begin = std::chrono::steady_clock::now();
  TensorMap batch = pending_.get();
  std::vector<torch::Tensor> images;
  for (const auto& [name, tensor] : batch.entries()) images.push_back(tensor);
  transfer_->hand_over(images);
  wait_seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  ++next_batch_;
  if (next_batch_ < batch_count_) start(next_batch_);
  return batch;
}

}  // namespace stegolab
