#include "steganography_task.hpp"

#include <filesystem>

#include "pairs_file.hpp"
#include "secret_images.hpp"
#include "steganography_evaluation.hpp"
#include "stegolab/errors.hpp"
#include "stegolab/image_padding.hpp"

namespace stegolab::steganography {

std::vector<ComponentNeed> SteganographyTask::sections() {
  return {{"transform", "transform", true,
           "the transform the model works in (handed to the model and the loss); optional for "
           "models that need none"},
          {"model", "model", false, "embeds the secret in the cover and extracts it"},
          {"loss", "loss", false, "the training objective",
           "stego_loss"}};
}

void SteganographyTask::build(ComponentBuilder& builder, const BuildContext& context) {
  BuildContext with_transform = context;
  if (builder.has("transform")) {
    transform_ = builder.build<Transform>("transform", context);
    with_transform.transform = transform_;
  }
  BuildContext for_model = with_transform;
  for_model.secrets = settings_.secrets;
  model_ = builder.build<StegoModel>("model", for_model);
  model_->to(context.device);
  // A task restored from a checkpoint for inference has no loss section.
  if (builder.has("loss")) loss_ = builder.build<Loss>("loss", with_transform);
  model_owner_ = "model '" + builder.plugin("model") + "'";
  attacks_ = AttackChannel(settings_.train_attacks, settings_.train_attack_probability,
                           settings_.eval_attacks);
  attacks_.build(builder, with_transform);
  channels_ = context.channels;
  // A task restored from a checkpoint has no data source and composes no samples.
  if (context.source) read_pairs_files(*context.source, context.folder);
}

void SteganographyTask::read_pairs_files(const ImageSource& source, const std::string& folder) {
  for (const auto& [split, file] : settings_.pairs) {
    std::filesystem::path path(file);
    if (path.is_relative() && !folder.empty()) path = std::filesystem::path(folder) / path;
    fixed_samples_[split] = resolve_pairs(
        read_pairs_file(file, path.string(), settings_.secrets), source, file, settings_.secrets);
  }
}

TensorMap SteganographyTask::training_samples(const torch::Tensor& split, uint64_t seed,
                                              int64_t epoch, int64_t count) {
  const auto fixed = fixed_samples_.find("train");
  if (fixed != fixed_samples_.end()) return named(epoch_order(fixed->second, seed, epoch, count));
  return named(epoch_pairs(split, seed, epoch, count, settings_.secrets));
}

TensorMap SteganographyTask::evaluation_samples_of(const std::string& split_name,
                                                   const torch::Tensor& split) {
  const auto fixed = fixed_samples_.find(split_name);
  if (fixed != fixed_samples_.end()) return named(fixed->second);
  return evaluation_samples(split);
}

TensorMap SteganographyTask::evaluation_samples(const torch::Tensor& split) {
  return named(fixed_pairs(split, settings_.secrets));
}

TensorMap SteganographyTask::named(const ImagePairs& pairs) const {
  TensorMap samples{{"cover", pairs.covers}};
  const std::vector<std::string> names = secret_names(settings_.secrets);
  for (size_t j = 0; j < names.size(); ++j) samples.set(names[j], pairs.secrets[j]);
  return samples;
}

Embedding SteganographyTask::embed(const torch::Tensor& cover, const torch::Tensor& secret) {
  Embedding embedding = model_->embed(cover, secret);
  expect_shape(model_owner_, "embed", "stego", embedding.stego, cover.sizes());
  return embedding;
}

torch::Tensor SteganographyTask::extract(const torch::Tensor& stego) {
  torch::Tensor recovered = model_->extract(stego);
  std::vector<int64_t> expected = stego.sizes().vec();
  if (expected.size() == 4) expected[1] *= settings_.secrets;
  expect_shape(model_owner_, "extract", "secret", recovered, expected);
  return recovered;
}

int64_t SteganographyTask::side_multiple() const {
  return transform_ ? int64_t{1} << transform_->levels() : 1;
}

torch::Tensor SteganographyTask::padded_for_model(const torch::Tensor& images) const {
  return pad_to_multiple(images, side_multiple(), ImagePadding::reflect);
}

LossValue SteganographyTask::training_loss(const TensorMap& batch,
                                           const TrainingProgress& progress) {
  if (!loss_) throw PluginError("task 'steganography': training needs a loss section");
  const torch::Tensor& cover = batch.at("cover");
  const torch::Tensor secret = secrets_along_channels(batch, settings_.secrets);
  const Embedding embedding = embed(cover, secret);
  const torch::Tensor received = attacks_.training(embedding.stego, cover, progress);
  LossInput input;
  // Along the batch, every term of the loss covers every secret.
  input.tensors = {{"cover", cover},
                   {"secret", secrets_along_batch(secret, settings_.secrets)},
                   {"stego", embedding.stego},
                   {"recovered", secrets_along_batch(extract(received), settings_.secrets)},
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
