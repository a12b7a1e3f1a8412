#include "compression_task.hpp"

#include <vector>

#include <torch/torch.h>

#include "compression_evaluation.hpp"
#include "image_codec.hpp"
#include "stegolab/errors.hpp"
#include "stegolab/pixel_scale.hpp"
#include "stegolab/seeded_permutation.hpp"

namespace stegolab::compression {

namespace {

constexpr uint64_t kImageOrderStream = 0x434f'4d50ULL;  // "COMP"

}  // namespace

std::vector<ComponentNeed> CompressionTask::sections() {
  return {{"model", "model", false,
           "the codec (a CodecModel: factorized_prior, scale_hyperprior): its forward trains, "
           "its compress/decompress evaluate on real bytes"},
          {"loss", "loss", false, "the rate-distortion objective", "rate_distortion"}};
}

void CompressionTask::build(ComponentBuilder& builder, const BuildContext& context) {
  model_ = build_codec_model(builder, "model", context);
  model_->to(context.device);
  model_plugin_ = builder.plugin("model");
  // A task restored from a checkpoint for the commands has no loss section.
  if (builder.has("loss")) loss_ = builder.build<Loss>("loss", context);
}

TensorMap CompressionTask::training_samples(const torch::Tensor& split, uint64_t seed,
                                            int64_t epoch, int64_t count) {
  if (split.numel() < 1) throw Error("task 'compression': the training split has no image");
  const uint64_t epoch_seed = derive_seed(seed, kImageOrderStream + static_cast<uint64_t>(epoch));
  std::vector<torch::Tensor> passes;
  for (int64_t have = 0, pass = 0; have < count; have += split.numel(), ++pass) {
    passes.push_back(
        seeded_permutation(split.to(torch::kLong), derive_seed(epoch_seed, static_cast<uint64_t>(pass))));
  }
  if (passes.empty()) return {{"image", torch::empty({0}, torch::kLong)}};
  return {{"image", torch::cat(passes).slice(0, 0, count).contiguous()}};
}

TensorMap CompressionTask::evaluation_samples(const torch::Tensor& split) {
  return {{"image", split.to(torch::kLong).contiguous()}};
}

CodecForward CompressionTask::forward(const torch::Tensor& images) {
  CodecForward out = model_->forward_codec(images);
  expect_shape("model '" + model_plugin_ + "'", "forward_codec", "reconstruction",
               out.reconstruction, images.sizes());
  return out;
}

LossValue CompressionTask::training_loss(const TensorMap& batch,
                                         const TrainingProgress& progress) {
  if (!loss_) throw PluginError("task 'compression': training needs a loss section");
  const torch::Tensor& image = batch.at("image");
  const CodecForward out = forward(image);
  LossInput input;
  input.tensors = {{"image", image}, {"reconstruction", out.reconstruction}};
  for (const auto& [latent, likelihoods] : out.likelihoods.entries()) {
    input.tensors.set("likelihoods." + latent, likelihoods);
  }
  if (out.aux_loss.defined()) input.tensors.set("aux_loss", out.aux_loss);
  input.progress = progress;
  return loss_->compute(input);
}

std::unique_ptr<Evaluation> CompressionTask::start_evaluation() {
  return std::make_unique<CompressionEvaluation>(*this);
}

std::vector<GalleryPanel> CompressionTask::gallery(const TensorMap& batch,
                                                   const PrecisionScope& /*scope*/) {
  // The decoded images of real streams, in fp32 as the codec always runs.
  torch::NoGradGuard no_grad;
  const torch::Tensor& images = batch.at("image");
  const ImageCodec codec(*model_, model_plugin_);
  std::vector<torch::Tensor> decoded;
  for (int64_t i = 0; i < images.size(0); ++i) {
    const torch::Tensor image = images.narrow(0, i, 1).to(torch::kFloat);
    decoded.push_back(codec.decompress(codec.compress(image), "gallery image"));
  }
  const torch::Tensor reconstruction = quantize_to_8bit(torch::cat(decoded));
  return {{"original", "original", images_to_uint8(images)},
          {"decoded", "decoded from the stream", images_to_uint8(reconstruction)},
          {"decoded_residual_x10", "|decoded - original| x10",
           amplified_difference(reconstruction, images, 10.0)}};
}

double CompressionTask::inference_flops(int64_t height, int64_t width) const {
  return model_->flops_per_image(height, width);
}

double CompressionTask::training_flops(int64_t height, int64_t width) const {
  // Forward, and a backward of about twice the forward's work.
  return 3.0 * inference_flops(height, width);
}

}  // namespace stegolab::compression
