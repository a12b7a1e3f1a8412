// CodecModel: a learned image codec (analysis and synthesis transforms with
// entropy models) that compresses an image to bytes and back. Registered
// with the kind "model", like StegoModel; build_codec_model() tells the two
// apart with a clear error.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <torch/nn/module.h>
#include <torch/types.h>

#include "stegolab/export.hpp"
#include "stegolab/plugin.hpp"
#include "stegolab/task.hpp"
#include "stegolab/tensor_map.hpp"

namespace stegolab {

struct CodecForward {
  torch::Tensor reconstruction;  // NCHW float, nominally [-1, 1] (not clamped)
  // Likelihoods of each latent ("y", "z"), any shape: the rate is
  // -sum(log2(likelihood)) over all of them.
  TensorMap likelihoods;
  // The entropy models' auxiliary loss (scalar); its parameters are in a
  // group of their own (parameter_group.hpp).
  torch::Tensor aux_loss;
};

class STEGOLAB_VISIBLE CodecModel : public torch::nn::Module {
 public:
  ~CodecModel() override;

  // images: NCHW float in [-1, 1], height and width multiples of
  // alignment(). Training: noisy latents; evaluation: rounded latents, so
  // the reconstruction is what decompress() gives for the same image.
  virtual CodecForward forward_codec(const torch::Tensor& images) = 0;
  // Image sides must be multiples of this (the product of the strides).
  virtual int64_t alignment() const = 0;
  // Rebuilds the integer CDF tables from the learned densities; call after
  // training steps or loading weights, before compress()/decompress().
  virtual void update_tables() = 0;
  // image: [1, C, H, W] in [-1, 1], sides multiples of alignment(). The
  // entropy-coded latents; the caller records the image size.
  virtual std::vector<uint8_t> compress(const torch::Tensor& image) = 0;
  // The reconstruction [1, C, height, width] (nominally [-1, 1], not clamped).
  virtual torch::Tensor decompress(const std::vector<uint8_t>& payload, int64_t height,
                                   int64_t width) = 0;
  virtual double flops_per_image(int64_t height, int64_t width) const = 0;
};

template <>
struct KindOf<CodecModel> {
  static constexpr const char* name = "model";
};

// Builds `section` (a "model" plugin) and checks that it is a CodecModel;
// throws PluginError naming the plugin otherwise (a StegoModel, say).
STEGOLAB_VISIBLE std::shared_ptr<CodecModel> build_codec_model(ComponentBuilder& builder,
                                                               const std::string& section,
                                                               const BuildContext& context);

}  // namespace stegolab
