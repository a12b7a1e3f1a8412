// The compression task: learn a codec of images. Batches are single images;
// training runs the codec model's forward (noisy latents) into the loss;
// evaluation compresses every test image to real bytes and decodes them.
//
// Names it gives the loss (LossInput::tensors): image (the batch),
// reconstruction, likelihoods.<latent> (one per entropy-coded latent, "y",
// "z"), aux_loss (the entropy models' auxiliary loss).
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "stegolab/codec.hpp"
#include "stegolab/loss.hpp"
#include "stegolab/task.hpp"

namespace stegolab::compression {

class CompressionTask : public Task {
 public:
  // anchor_jpeg_qualities: JPEG qualities (1..100) measured on the same
  // evaluation images as the codec, the rate-distortion anchor; none: no anchor.
  explicit CompressionTask(std::vector<int> anchor_jpeg_qualities = {})
      : anchor_jpeg_qualities_(std::move(anchor_jpeg_qualities)) {}

  // PluginInfo::components of the task.
  static std::vector<ComponentNeed> sections();

  void build(ComponentBuilder& builder, const BuildContext& context) override;
  std::vector<NamedModule> modules() override { return {{"model", model_}}; }
  std::vector<std::string> checkpoint_sections() const override { return {"model"}; }

  TensorMap training_samples(const torch::Tensor& split, uint64_t seed, int64_t epoch,
                             int64_t count) override;
  TensorMap evaluation_samples(const torch::Tensor& split) override;
  LossValue training_loss(const TensorMap& batch, const TrainingProgress& progress) override;
  std::unique_ptr<Evaluation> start_evaluation() override;
  std::vector<GalleryPanel> gallery(const TensorMap& batch, const PrecisionScope& scope) override;

  double inference_flops(int64_t height, int64_t width) const override;
  double training_flops(int64_t height, int64_t width) const override;

  // The codec's forward with its reconstruction's shape checked.
  CodecForward forward(const torch::Tensor& images);
  CodecModel& model() { return *model_; }
  const std::string& model_plugin() const { return model_plugin_; }
  const std::vector<int>& anchor_jpeg_qualities() const { return anchor_jpeg_qualities_; }

 private:
  std::shared_ptr<CodecModel> model_;
  std::shared_ptr<Loss> loss_;
  std::string model_plugin_;
  std::vector<int> anchor_jpeg_qualities_;
};

}  // namespace stegolab::compression
