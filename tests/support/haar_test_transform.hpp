// HaarTestTransform: a one-level orthonormal Haar transform written
// independently of the transform plugins, so the model and loss tests check
// themselves against math they own (a constant image of value v has LL = 2v
// and zero detail bands).
#pragma once

#include <string>

#include <torch/torch.h>

#include "stegolab/transform.hpp"

namespace stegolab::testing {

// Each 2x2 block (a b / c d) maps to
// LL = (a+b+c+d)/2, LH = (a+b-c-d)/2, HL = (a-b+c-d)/2, HH = (a-b-c+d)/2,
// with the plugins' naming: the first letter is the filter along the width,
// the second along the height (LH: low along the width, high along the height).
class HaarTestTransform : public stegolab::Transform {
 public:
  HaarTestTransform() : Transform(1) {}
  bool is_integer() const override { return false; }
  std::string name() const override { return "haar_test"; }

 protected:
  static torch::Tensor matrix(const torch::Tensor& like) {
    return torch::tensor({1.0, 1.0, 1.0, 1.0, 1.0, 1.0, -1.0, -1.0, 1.0, -1.0, 1.0, -1.0, 1.0, -1.0,
                          -1.0, 1.0},
                         like.options())
               .view({4, 4}) *
           0.5;
  }
  torch::Tensor analyze(const torch::Tensor& x) const override {
    const int64_t n = x.size(0), c = x.size(1), h = x.size(2) / 2, w = x.size(3) / 2;
    // pixel_unshuffle: channel c*4 + (2*row + col) holds pixel (row, col) of each block.
    const auto blocks = torch::pixel_unshuffle(x, 2).view({n, c, 4, h, w}).movedim(2, -1);
    const auto bands = torch::matmul(blocks, matrix(x).t());  // [n, c, h, w, 4]
    return bands.movedim(-1, 1).reshape({n, 4 * c, h, w});
  }
  torch::Tensor synthesize(const torch::Tensor& y) const override {
    const int64_t n = y.size(0), c = y.size(1) / 4, h = y.size(2), w = y.size(3);
    const auto bands = y.view({n, 4, c, h, w}).movedim(1, -1);
    const auto blocks = torch::matmul(bands, matrix(y));  // orthonormal: inverse = transpose
    return torch::pixel_shuffle(blocks.movedim(-1, 2).reshape({n, 4 * c, h, w}), 2);
  }
};

}  // namespace stegolab::testing
