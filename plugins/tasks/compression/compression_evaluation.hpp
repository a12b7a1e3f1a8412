// One evaluation pass of the compression task on real bytes: each image is
// compressed to a stream (header included), decoded from it, and measured
// as an 8-bit image; the rate the likelihoods estimate stands beside the
// real one, so the gap is visible, and the JPEG anchor (when the task names
// qualities) is measured on the same images as "<metric>@jpeg(q=Q)".
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "compression_task.hpp"
#include "image_codec.hpp"

namespace stegolab::compression {

class CompressionEvaluation : public Evaluation {
 public:
  explicit CompressionEvaluation(CompressionTask& task);
  // batch: "image", NCHW float in [-1, 1]. The codec runs in fp32 outside
  // `scope`: its streams must not depend on the strategy's precision.
  void add(const TensorMap& batch, const PrecisionScope& scope) override;
  std::vector<std::pair<std::string, double>> means() override;
  int64_t samples() const override { return samples_; }

 private:
  // The learned codec on one [1, 3, H, W] image: rates, times, quality.
  void measure_codec(const torch::Tensor& image);
  // JPEG at `quality` on the same image.
  void measure_anchor(const torch::Tensor& image, int quality);
  // psnr and ms_ssim (where the image is large enough) of the decoded image,
  // under the names + `suffix`.
  void measure_quality(const torch::Tensor& decoded, const torch::Tensor& image,
                       const std::string& suffix);

  CompressionTask& task_;
  ImageCodec codec_;
  int64_t samples_ = 0;
  std::map<std::string, double> sums_;  // per metric, over the images
};

}  // namespace stegolab::compression
