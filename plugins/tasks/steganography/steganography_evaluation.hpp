// One evaluation pass of the steganography task: embed, quantise the stego
// to 8 bits (a saved PNG), extract, and the hiding/recovery metrics; with
// quantize_stego false also the float path (suffix _float); per evaluation
// attack the recovery metrics under it (suffix @<label>). The model, the
// quantisation and the attacks see the batch padded to the model's side
// multiple (SteganographyTask::padded_for_model); every metric sees the
// original pixels only.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "steganography_metrics.hpp"
#include "steganography_task.hpp"

namespace stegolab::steganography {

class SteganographyEvaluation : public Evaluation {
 public:
  explicit SteganographyEvaluation(SteganographyTask& task) : task_(task) {}
  void add(const TensorMap& batch, const PrecisionScope& scope) override;
  std::vector<std::pair<std::string, double>> means() override;
  int64_t samples() const override { return metrics_.images(); }

 private:
  // padded_cover and padded_stego as the model saw and made them; secret unpadded.
  void add_attacked(const torch::Tensor& padded_cover, const torch::Tensor& secret,
                    const torch::Tensor& padded_stego, const PrecisionScope& scope);

  SteganographyTask& task_;
  SteganographyMetrics metrics_;
  uint64_t batches_ = 0;
};

}  // namespace stegolab::steganography
