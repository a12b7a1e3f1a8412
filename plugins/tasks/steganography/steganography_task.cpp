#include "steganography_task.hpp"

#include "image_pairs.hpp"
#include "steganography_evaluation.hpp"
#include "stegolab/errors.hpp"

namespace stegolab::steganography {

std::vector<ComponentNeed> SteganographyTask::sections() {
  return {{"transform", "transform", true,
           "the transform the model works in (handed to the model and the loss); optional for "
           "models that need none"},
          {"model", "model", false, "embeds the secret in the cover and extracts it"},
          {"loss", "loss", false, "the training objective and the training channel (perturb)",
           "stego_loss"}};
}

void SteganographyTask::build(ComponentBuilder& builder, const BuildContext& context) {
  BuildContext with_transform = context;
  if (builder.has("transform")) {
    transform_ = builder.build<Transform>("transform", context);
    with_transform.transform = transform_;
  }
  model_ = builder.build<StegoModel>("model", with_transform);
  model_->to(context.device);
  // A task restored from a checkpoint for inference has no loss section.
  if (builder.has("loss")) loss_ = builder.build<Loss>("loss", with_transform);
  model_owner_ = "model '" + builder.plugin("model") + "'";
  attacks_ = AttackChannel(settings_.train_attacks, settings_.train_attack_probability,
                           settings_.eval_attacks);
  attacks_.build(builder, with_transform);
  channels_ = context.channels;
}

TensorMap SteganographyTask::training_samples(const torch::Tensor& split, uint64_t seed,
                                              int64_t epoch, int64_t count) {
  const ImagePairs pairs = epoch_pairs(split, seed, epoch, count);
  return {{"cover", pairs.covers}, {"secret", pairs.secrets}};
}

TensorMap SteganographyTask::evaluation_samples(const torch::Tensor& split) {
  const ImagePairs pairs = fixed_pairs(split);
  return {{"cover", pairs.covers}, {"secret", pairs.secrets}};
}

Embedding SteganographyTask::embed(const torch::Tensor& cover, const torch::Tensor& secret) {
  Embedding embedding = model_->embed(cover, secret);
  expect_shape(model_owner_, "embed", "stego", embedding.stego, cover.sizes());
  return embedding;
}

torch::Tensor SteganographyTask::extract(const torch::Tensor& stego) {
  torch::Tensor recovered = model_->extract(stego);
  expect_shape(model_owner_, "extract", "secret", recovered, stego.sizes());
  return recovered;
}

LossValue SteganographyTask::training_loss(const TensorMap& batch,
                                           const TrainingProgress& progress) {
  if (!loss_) throw PluginError("task 'steganography': training needs a loss section");
  const torch::Tensor& cover = batch.at("cover");
  const torch::Tensor& secret = batch.at("secret");
  const Embedding embedding = embed(cover, secret);
  const torch::Tensor received = attacks_.trains() ? attacks_.training(embedding.stego, cover)
                                                   : loss_->perturb(embedding.stego, progress);
  LossInput input;
  input.tensors = {{"cover", cover},
                   {"secret", secret},
                   {"stego", embedding.stego},
                   {"recovered", extract(received)},
                   {"lost", embedding.lost}};
  input.progress = progress;
  return loss_->compute(input);
}

std::unique_ptr<Evaluation> SteganographyTask::start_evaluation() {
  return std::make_unique<SteganographyEvaluation>(*this);
}

double SteganographyTask::inference_flops(int64_t height, int64_t width) const {
  return model_->flops_per_image(height, width);
}

double SteganographyTask::training_flops(int64_t height, int64_t width) const {
  // Forward, and a backward of about twice the forward's work.
  return 3.0 * inference_flops(height, width);
}

}  // namespace stegolab::steganography
