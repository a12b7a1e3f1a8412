// SeparableWavelet: a 2-D transform level built from a 1-D lifting scheme,
// applied along the width, then along the height.
//
// Band names: the first letter is the filter along the width, the second the
// filter along the height. LH is low-pass along the width and high-pass along
// the height, so it responds to horizontal edges (rows that differ).
#pragma once

#include <memory>
#include <string>

#include "lifting_scheme.hpp"
#include "stegolab/transform.hpp"

namespace stegolab::wavelets {

class SeparableWavelet : public Transform {
 public:
  SeparableWavelet(std::string name, std::shared_ptr<const LiftingScheme> scheme, int levels);

  bool is_integer() const override { return scheme_->is_integer(); }
  std::string name() const override { return name_; }

 protected:
  torch::Tensor analyze(const torch::Tensor& images) const override;
  torch::Tensor synthesize(const torch::Tensor& bands) const override;

 private:
  std::string name_;
  std::shared_ptr<const LiftingScheme> scheme_;
};

}  // namespace stegolab::wavelets
