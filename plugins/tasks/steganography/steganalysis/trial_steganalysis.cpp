#include "trial_steganalysis.hpp"

#include <cstdio>

#include "../steganography_task.hpp"
#include "stegolab/errors.hpp"

namespace stegolab::steganography {

namespace {

std::string decimals(double value, int digits) {
  char text[32];
  std::snprintf(text, sizeof text, "%.*f", digits, value);
  return text;
}

void read_options(const Params& options, SteganalysisSettings& settings) {
  SteganalyserOptions& network = settings.network;
  network.epochs = options.get_int_at_least("epochs", network.epochs, 1);
  network.pairs_per_batch = options.get_int_at_least("batch", network.pairs_per_batch, 1);
  network.learning_rate = options.get_number_in("learning_rate", network.learning_rate, 0.0, 1.0);
  settings.max_images = options.get_int_at_least("max_images", settings.max_images, 0);
}

}  // namespace

std::optional<SteganalysisSettings> read_steganalysis_settings(const Params& params) {
  if (!params.has("steganalysis")) return std::nullopt;
  const nlohmann::json value = params.get_json("steganalysis");
  if (value.is_boolean()) {
    return value.get<bool>() ? std::optional<SteganalysisSettings>(SteganalysisSettings{})
                             : std::nullopt;
  }
  const std::string owner = params.owner() + ": parameter 'steganalysis'";
  if (!value.is_object()) {
    throw ParamError(owner + " is true, false or {\"epochs\", \"batch\", \"learning_rate\", "
                     "\"max_images\"}, got " + value.dump());
  }
  for (const auto& [key, unused] : value.items()) {
    if (key != "epochs" && key != "batch" && key != "learning_rate" && key != "max_images") {
      throw ParamError(owner + " has no key '" + key +
                       "' (epochs, batch, learning_rate, max_images)");
    }
  }
  SteganalysisSettings settings;
  read_options(Params(owner, value), settings);
  return settings;
}

TrialSteganalysis steganalyse_trial(SteganographyTask& task, const TrialData& data,
                                    const SteganalysisSettings& settings,
                                    const ProgressNote& note) {
  TrialSteganalysis run;
  const auto start = std::chrono::steady_clock::now();
  const StegoImageSets train =
      stego_image_sets(task, *data.source, "train", data.train, settings.max_images,
                       data.eval_batch_size, data.device, settings.control, data.seed);
  const StegoImageSets test =
      stego_image_sets(task, *data.source, "test", data.test, settings.max_images,
                       data.eval_batch_size, data.device, settings.control, data.seed + 1);
  if (train.size() < 2 || test.size() < 1) {
    throw Error("steganalysis needs at least 2 train and 1 test samples, the trial has " +
                std::to_string(train.size()) + " and " + std::to_string(test.size()));
  }
  run.train_pairs = train.size();
  run.test_pairs = test.size();
  run.stego_seconds = seconds_since(start);
  note("steganalysis: " + std::to_string(run.train_pairs) + " train and " +
       std::to_string(run.test_pairs) + " test cover/stego pairs of " +
       std::to_string(train.covers.size(2)) + "x" + std::to_string(train.covers.size(1)) +
       " in " + decimals(run.stego_seconds, 1) + " s");
  SteganalyserOptions network = settings.network;
  network.seed = data.seed;
  run.result = steganalyse(train, test, network, [&](int64_t epoch, double loss, double right) {
    note("steganalysis epoch " + std::to_string(epoch) + "/" + std::to_string(network.epochs) +
         ": loss " + decimals(loss, 4) + ", train accuracy " + decimals(right, 3));
  });
  return run;
}

std::vector<std::pair<std::string, double>> SteganographyTask::after_training(
    const TrialData& data, const ProgressNote& note) {
  if (!settings_.steganalysis) return {};
  const TrialSteganalysis run = steganalyse_trial(*this, data, *settings_.steganalysis, note);
  std::string summary = steganalysis_summary(run);
  for (size_t cut; (cut = summary.find('\n')) != std::string::npos;) {
    note(summary.substr(0, cut));
    summary.erase(0, cut + 1);
  }
  note(summary);
  return steganalysis_metrics(run.result);
}

std::string steganalysis_summary(const TrialSteganalysis& run) {
  const SteganalysisResult& r = run.result;
  return "learned steganalyser (XuNet-like): accuracy " + decimals(r.cnn_accuracy, 3) +
         ", ROC AUC " + decimals(r.cnn_auc, 3) + "  (0.5 = undetectable)\n" +
         "sample-pair analysis:              accuracy " + decimals(r.spa_accuracy, 3) +
         ", ROC AUC " + decimals(r.spa_auc, 3) + ", mean estimated rate of the stegos " +
         decimals(r.spa_stego_rate, 3) + "\n" + "time: stego images " +
         decimals(run.stego_seconds, 1) + " s, training " + decimals(r.training_seconds, 1) +
         " s, scoring " + decimals(r.scoring_seconds, 1) + " s";
}

}  // namespace stegolab::steganography
