// One evaluation pass of the steganography task: embed, quantise the stego
// to 8 bits (a saved PNG), extract, and the hiding/recovery metrics; with
// quantize_stego false also the float path (suffix _float).
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
  SteganographyTask& task_;
  SteganographyMetrics metrics_;
};

}  // namespace stegolab::steganography
