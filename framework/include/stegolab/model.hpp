// StegoModel: hides k secret images in a cover image and recovers them
// (k = BuildContext::secrets, fixed when the model is built).
#pragma once

#include <cstdint>

#include <torch/nn/module.h>
#include <torch/types.h>

#include "stegolab/export.hpp"
#include "stegolab/plugin.hpp"

namespace stegolab {

struct Embedding {
  torch::Tensor stego;  // NCHW float in [-1, 1] (not clamped, not quantised)
  torch::Tensor lost;   // what the embedding discards (the secret half of the output); losses may pull it towards the extraction prior
};

// A model is a torch module, so the host can move it, optimise its
// parameters and save it in a checkpoint without knowing its type.
class STEGOLAB_VISIBLE StegoModel : public torch::nn::Module {
 public:
  ~StegoModel() override;

  // cover: NCHW float in [-1, 1], C channels; secret: the k secrets
  // concatenated along the channels, [N, k*C, H, W], same range (k = 1: the
  // same shape as the cover).
  virtual Embedding embed(const torch::Tensor& cover, const torch::Tensor& secret) = 0;
  // stego: NCHW float in [-1, 1] (usually quantised to 8 bits first). Returns
  // the k recovered secrets in embed()'s layout, [N, k*C, H, W] float,
  // nominally in [-1, 1].
  virtual torch::Tensor extract(const torch::Tensor& stego) = 0;

  // Floating-point operations of one embed + extract for one image of this
  // size, counted from the layer shapes (a multiply-add counts 2).
  virtual double flops_per_image(int64_t height, int64_t width) const = 0;
};

template <>
struct KindOf<StegoModel> {
  static constexpr const char* name = "model";
};

}  // namespace stegolab
