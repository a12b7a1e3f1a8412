// LeGall53Scheme: the LeGall / CDF 5/3 filter bank as two lifting steps
// with whole-sample symmetric extension at the borders,
//   predict: high[n] = x[2n+1] - P(x[2n] + x[2n+2])
//   update:  low[n]  = x[2n]   + U(high[n-1] + high[n])
// Float:   P(v) = v / 2,           U(v) = v / 4.
// Integer: P(v) = floor(v / 2),    U(v) = floor((v + 2) / 4)
//          (the reversible 5/3 of JPEG 2000, ISO/IEC 15444-1 Annex F).
#pragma once

#include "lifting_scheme.hpp"

namespace stegolab::wavelets {

class LeGall53Scheme : public LiftingScheme {
 public:
  explicit LeGall53Scheme(bool integer) : integer_(integer) {}

  std::pair<torch::Tensor, torch::Tensor> analyze(const torch::Tensor& even,
                                                  const torch::Tensor& odd,
                                                  int64_t dim) const override;
  std::pair<torch::Tensor, torch::Tensor> synthesize(const torch::Tensor& low,
                                                     const torch::Tensor& high,
                                                     int64_t dim) const override;
  bool is_integer() const override { return integer_; }

 private:
  torch::Tensor predict(const torch::Tensor& even, int64_t dim) const;
  torch::Tensor update(const torch::Tensor& high, int64_t dim) const;
  bool integer_;
};

}  // namespace stegolab::wavelets
