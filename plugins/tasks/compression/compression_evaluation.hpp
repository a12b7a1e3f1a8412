// One evaluation pass of the compression task on real bytes: each image is
// compressed to a stream (header included), decoded from it, and measured
// as an 8-bit image; the rate the likelihoods estimate stands beside the
// real one, so the gap is visible.
#pragma once

#include <cstdint>
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
  CompressionTask& task_;
  ImageCodec codec_;
  int64_t samples_ = 0;
  double psnr_sum_ = 0.0;
  double bpp_sum_ = 0.0;
  double payload_bpp_sum_ = 0.0;
  double estimated_bpp_sum_ = 0.0;
};

}  // namespace stegolab::compression
