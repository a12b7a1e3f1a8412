// Steganalysis of a steganography method: how well detectors tell its stego
// images from their covers, 0.5 (accuracy and ROC AUC) meaning not at all.
// The learned steganalyser is trained on one set of pairs (a trial's train
// split) and measured on another (its test split); sample-pair analysis
// needs no training and is measured on the second set.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "stegolab/metric_declaration.hpp"
#include "steganalyser_training.hpp"
#include "stego_image_sets.hpp"

namespace stegolab::steganography {

struct SteganalysisResult {
  double cnn_accuracy = 0;  // the network's own decision (stego logit > cover logit)
  double cnn_auc = 0;
  double spa_accuracy = 0;  // 1 - P_E of the estimated embedding rate
  double spa_auc = 0;
  double spa_stego_rate = 0;  // mean estimated embedding rate of the stego images
  double training_seconds = 0;
  double scoring_seconds = 0;
};

SteganalysisResult steganalyse(const StegoImageSets& train, const StegoImageSets& test,
                               const SteganalyserOptions& options,
                               const EpochReport& report = {});

// The result as metrics of the trial (split test), named steganalysis_*.
std::vector<std::pair<std::string, double>> steganalysis_metrics(const SteganalysisResult& result);

// What each of those metrics means (PluginInfo::metrics of the task).
std::vector<MetricDeclaration> steganalysis_declarations();

// Wall-clock seconds since `start`, for the times a steganalysis reports.
double seconds_since(std::chrono::steady_clock::time_point start);

}  // namespace stegolab::steganography
