// Batch pipeline: loads batches of named images (the task's sample lists)
// from an ImageSource on a
// background thread while the current step runs. On CUDA the load's device
// work (generation, host-to-device copies, conversion) is queued on a side
// stream, so it overlaps the step's kernels too, and the compute stream waits
// for it only when the batch is handed over (device/transfer_stream.hpp).
#pragma once

#include <cstdint>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include <torch/types.h>

#include "data/extent_batches.hpp"
#include "device/transfer_stream.hpp"
#include "stegolab/dataset.hpp"
#include "stegolab/tensor_map.hpp"

namespace stegolab {

// uint8 NHWC images (0..255) -> NCHW float in [-1, 1], on the images' device.
torch::Tensor to_model_images(const torch::Tensor& images_uint8_nhwc);

class BatchPipeline {
 public:
  // `samples`: named lists of image indices (int64, 1-D, CPU, one length);
  // each batch holds, under the same names, the images (NCHW float in
  // [-1, 1] on `device`) of `batch_size` consecutive entries. With
  // `drop_last` a trailing partial batch is left out (training keeps every
  // micro-batch the same size), else it is served (evaluation sees all).
  // Evaluation (no `augment`) of a source with whole_image_evaluation():
  // each batch holds up to `batch_size` entries whose first-named images
  // share one extent (extent_batches.hpp), every image of an entry framed
  // to that extent.
  BatchPipeline(std::shared_ptr<ImageSource> source, torch::Device device, bool augment,
                TensorMap samples, int64_t batch_size, bool drop_last);
  ~BatchPipeline();
  BatchPipeline(const BatchPipeline&) = delete;
  BatchPipeline& operator=(const BatchPipeline&) = delete;

  int64_t batch_count() const { return batch_count_; }
  // The next batch (waiting for it if the prefetch is not done), ready for
  // use on the calling thread's current stream, and starts loading the one
  // after; nullopt after the last. Rethrows the source's error.
  std::optional<TensorMap> next();
  // Total seconds next() spent waiting for data.
  double wait_seconds() const { return wait_seconds_; }
  // Images the source produced per second of loading (on the loading
  // thread, decode and conversion included); NaN before the first batch.
  double load_rate() const;

 private:
  TensorMap load(int64_t batch) const;
  // The indices of batch `batch`, every named list's in turn, and how many
  // entries each list gives.
  torch::Tensor batch_indices(int64_t batch, int64_t& count) const;
  torch::Tensor load_pixels(int64_t batch, const torch::Tensor& indices) const;
  void start(int64_t batch);

  std::shared_ptr<ImageSource> source_;
  torch::Device device_;
  std::unique_ptr<TransferStream> transfer_;
  bool augment_;
  TensorMap samples_;
  int64_t sample_count_ = 0;
  int64_t batch_size_;
  int64_t batch_count_;
  std::vector<ExtentBatch> whole_images_;  // whole-image evaluation's batches, else empty
  int64_t next_batch_ = 0;
  std::future<TensorMap> pending_;
  double wait_seconds_ = 0.0;
  mutable std::mutex load_mutex_;
  mutable double load_seconds_ = 0.0;
  mutable int64_t loaded_images_ = 0;
};

}  // namespace stegolab
