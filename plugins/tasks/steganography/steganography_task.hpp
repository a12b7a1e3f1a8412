// The steganography task: hide k secret images in a cover image and recover
// them. Composes samples of a cover and k secrets from a split, trains embed
// -> channel (the training attack mix with its curriculum) -> extract,
// and evaluates on 8-bit stego images, clean and under each evaluation attack.
//
// Names it gives the loss (LossInput::tensors): cover (the batch), secret
// (the batch's secrets stacked along the batch, [k*N, C, H, W]), stego
// (embed's output before the channel), recovered (extracted from the
// channel's output, laid out as secret), lost (Embedding::lost; may be
// undefined).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "attack_channel.hpp"
#include "image_pairs.hpp"
#include "steganalysis/trial_steganalysis.hpp"
#include "stegolab/dataset.hpp"
#include "stegolab/loss.hpp"
#include "stegolab/model.hpp"
#include "stegolab/task.hpp"
#include "stegolab/transform.hpp"

namespace stegolab::steganography {

struct TaskSettings {
  // Quantise the stego to 8 bits before extraction in evaluation, as a saved
  // PNG would; false adds the float path's metrics (suffix _float).
  bool quantize_stego = true;
  // Task parameters train_attacks, train_attack_probability and attacks.
  std::vector<AttackChain> train_attacks;
  TrainingCurriculum train_attack_probability;
  std::vector<AttackEntry> eval_attacks;
  // Secret images hidden in each cover (secret_images.hpp).
  int64_t secrets = 1;
  // Split ("train", "val", "test") -> its pairs file as the experiment names
  // it (pairs_file.hpp); a split without one is paired at random.
  std::map<std::string, std::string> pairs;
  // eval.steganalysis: detectors against the trial's stego images after
  // training (steganalysis/trial_steganalysis.hpp); none when unset.
  std::optional<SteganalysisSettings> steganalysis;
};

class SteganographyTask : public Task {
 public:
  explicit SteganographyTask(TaskSettings settings) : settings_(settings) {}

  // PluginInfo::components of the task.
  static std::vector<ComponentNeed> sections();

  void build(ComponentBuilder& builder, const BuildContext& context) override;
  std::vector<NamedModule> modules() override { return {{"model", model_}}; }
  std::vector<std::string> checkpoint_sections() const override { return {"transform", "model"}; }

  TensorMap training_samples(const torch::Tensor& split, uint64_t seed, int64_t epoch,
                             int64_t count) override;
  TensorMap evaluation_samples(const torch::Tensor& split) override;
  TensorMap evaluation_samples_of(const std::string& split_name,
                                  const torch::Tensor& split) override;
  LossValue training_loss(const TensorMap& batch, const TrainingProgress& progress) override;
  std::unique_ptr<Evaluation> start_evaluation() override;
  std::vector<GalleryPanel> gallery(const TensorMap& batch, const PrecisionScope& scope) override;
  // eval.steganalysis' metrics (steganalysis/trial_steganalysis.cpp).
  std::vector<std::pair<std::string, double>> after_training(const TrialData& data,
                                                             const ProgressNote& note) override;

  double inference_flops(int64_t height, int64_t width) const override;
  double training_flops(int64_t height, int64_t width) const override;

  // Checked model calls: a wrong shape names the model plugin and the call.
  // secret and the result of extract: the k secrets along the channels.
  Embedding embed(const torch::Tensor& cover, const torch::Tensor& secret);
  torch::Tensor extract(const torch::Tensor& stego);

  // Images (NCHW) padded at the bottom and right by reflection to
  // multiples of what the model's transform needs (2^levels; 1 without a
  // transform), as evaluation and the gallery run whole images of any size;
  // unchanged when they fit. Reflection, as papers pad: the texture goes on
  // into the border, so the wavelet bands see no flat band or edge there.
  torch::Tensor padded_for_model(const torch::Tensor& images) const;
  int64_t side_multiple() const;

  // The sample's index lists as batch names: cover, then secret_names().
  TensorMap named(const ImagePairs& pairs) const;

  StegoModel& model() { return *model_; }
  const TaskSettings& settings() const { return settings_; }
  const AttackChannel& attacks() const { return attacks_; }
  int64_t channels() const { return channels_; }

 private:
  // Reads every pairs file of settings_.pairs, paths relative to `folder`.
  void read_pairs_files(const ImageSource& source, const std::string& folder);

  TaskSettings settings_;
  std::shared_ptr<Transform> transform_;
  std::shared_ptr<StegoModel> model_;
  std::shared_ptr<Loss> loss_;
  AttackChannel attacks_;
  std::string model_owner_ = "model";  // "model 'star_inn'", for messages
  int64_t channels_ = 3;
  // The pairs files' samples by split, read when the task is built with a data source.
  std::map<std::string, ImagePairs> fixed_samples_;
};

}  // namespace stegolab::steganography
