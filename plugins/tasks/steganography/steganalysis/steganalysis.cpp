#include "steganalysis.hpp"

#include <chrono>

#include <torch/torch.h>

#include "detection_scores.hpp"
#include "sample_pair_analysis.hpp"

namespace stegolab::steganography {

namespace {

std::vector<double> values_of(const torch::Tensor& t) {
  const torch::Tensor c = t.to(torch::kFloat64).contiguous();
  return {c.data_ptr<double>(), c.data_ptr<double>() + c.numel()};
}

}  // namespace

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

SteganalysisResult steganalyse(const StegoImageSets& train, const StegoImageSets& test,
                               const SteganalyserOptions& options, const EpochReport& report) {
  SteganalysisResult result;
  auto start = std::chrono::steady_clock::now();
  XuNet network = train_steganalyser(train.covers, train.stegos, options, report);
  result.training_seconds = seconds_since(start);
  start = std::chrono::steady_clock::now();
  const std::vector<double> cover_scores = steganalyser_scores(network, test.covers);
  const std::vector<double> stego_scores = steganalyser_scores(network, test.stegos);
  result.cnn_accuracy = threshold_accuracy(cover_scores, stego_scores, 0.0);
  result.cnn_auc = roc_auc(cover_scores, stego_scores);
  const std::vector<double> cover_rates = values_of(sample_pair_rates(test.covers));
  const std::vector<double> stego_rates = values_of(sample_pair_rates(test.stegos));
  result.spa_accuracy = min_error_accuracy(cover_rates, stego_rates);
  result.spa_auc = roc_auc(cover_rates, stego_rates);
  double sum = 0;
  for (const double rate : stego_rates) sum += rate;
  result.spa_stego_rate = sum / static_cast<double>(stego_rates.size());
  result.scoring_seconds = seconds_since(start);
  return result;
}

std::vector<std::pair<std::string, double>> steganalysis_metrics(const SteganalysisResult& r) {
  return {{"steganalysis_cnn_accuracy", r.cnn_accuracy},
          {"steganalysis_cnn_auc", r.cnn_auc},
          {"steganalysis_spa_accuracy", r.spa_accuracy},
          {"steganalysis_spa_auc", r.spa_auc},
          {"steganalysis_spa_rate", r.spa_stego_rate}};
}

std::vector<MetricDeclaration> steganalysis_declarations() {
  const std::string setting =
      " Cover: the test split's 8-bit cover; stego: its 8-bit stego image (the trial's "
      "pairing); `stegolab steganalyze` or eval.steganalysis (docs/security.md). An external "
      "trial (`stegolab evaluate --steganalysis`): its matched files split by a seed into "
      "train and test pairs.";
  std::vector<MetricDeclaration> declarations = {
      {"steganalysis_cnn_accuracy",
       "Accuracy of a learned steganalyser (XuNet-like: fixed 5x5 KV high-pass filter, five "
       "convolution groups, 15306 parameters) trained on the train split's cover/stego pairs, "
       "on the test split's, equal weight to covers and stegos; 0.5 = undetectable." +
           setting,
       "fraction", "lower"},
      {"steganalysis_cnn_auc",
       "ROC AUC of the learned steganalyser's score (stego minus cover logit) on the test "
       "split's covers against their stegos, by the rank statistic; 0.5 = undetectable." +
           setting,
       "", "lower"},
      {"steganalysis_spa_accuracy",
       "1 - P_E (best threshold, equal priors) of sample-pair analysis (Dumitrescu, Wu and "
       "Wang 2003: estimated LSB-replacement rate per image, horizontal and vertical pairs of "
       "every channel) on the test split's covers against their stegos; 0.5 = undetectable. "
       "The best threshold is chosen on the same images, so it is slightly optimistic." +
           setting,
       "fraction", "lower"},
      {"steganalysis_spa_auc",
       "ROC AUC of sample-pair analysis' estimated rate on the test split's covers against "
       "their stegos; 0.5 = undetectable." +
           setting,
       "", "lower"},
      {"steganalysis_spa_rate",
       "Mean embedding rate sample-pair analysis estimates for the test split's stego images "
       "(about 0 for covers, 1 for LSB replacement of every sample; other embeddings need not "
       "follow this scale)." +
           setting,
       "fraction", ""},
  };
  for (MetricDeclaration& m : declarations) {
    m.range_min = m.name == "steganalysis_spa_rate" ? std::optional<double>() : 0.0;
    m.range_max = m.name == "steganalysis_spa_rate" ? std::optional<double>() : 1.0;
    m.quantised = true;
    m.digits = 3;
  }
  return declarations;
}

}  // namespace stegolab::steganography
