// Steganalysis of a trained trial: stego images of its train and test
// splits, the detectors of steganalysis.hpp on them, progress and times as
// lines. Shared by `stegolab steganalyze` and eval.steganalysis.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "steganalysis.hpp"
#include "stegolab/params.hpp"
#include "stegolab/task.hpp"

namespace stegolab::steganography {

class SteganographyTask;

struct SteganalysisSettings {
  SteganalyserOptions network;  // network.seed: the trial's seed when run on a trial
  int64_t max_images = 0;       // pairs per split, 0: the whole split
  StegoControl control = StegoControl::task;
};

// Task parameter `steganalysis` (eval.steganalysis): false (none), true
// (defaults) or {"epochs", "batch", "learning_rate", "max_images"}. Throws
// ParamError naming the key.
std::optional<SteganalysisSettings> read_steganalysis_settings(const Params& params);

struct TrialSteganalysis {
  SteganalysisResult result;
  int64_t train_pairs = 0, test_pairs = 0;
  double stego_seconds = 0;  // producing the stego images of both splits
};

// Throws Error when the splits hold fewer than 2 train or 1 test sample.
TrialSteganalysis steganalyse_trial(SteganographyTask& task, const TrialData& data,
                                    const SteganalysisSettings& settings,
                                    const ProgressNote& note);

// "accuracy 0.981, ROC AUC 0.998" lines of a result, with its times.
std::string steganalysis_summary(const TrialSteganalysis& run);

}  // namespace stegolab::steganography
