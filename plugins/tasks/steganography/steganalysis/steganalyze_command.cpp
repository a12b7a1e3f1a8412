// `stegolab steganalyze --db D --trial T`: stego images of the trial's train
// and test splits from its checkpoint, a learned steganalyser trained on the
// first and measured on the second, sample-pair analysis beside it; printed
// with their times and stored as metrics of the trial (split test).
#include <iomanip>
#include <iostream>

#include "../steganography_commands.hpp"
#include "../steganography_task.hpp"
#include "stegolab/errors.hpp"
#include "trial_steganalysis.hpp"

namespace stegolab::steganography {

int SteganalyzeCommand::run(const Params& options, CommandServices& services) {
  const auto start = std::chrono::steady_clock::now();
  const RecordedTrial trial = services.recorded_trial(
      options.get_string("db", ""), options.get_string("experiment", ""),
      options.get_string("trial", ""), options.get_string("checkpoint", "best"),
      options.get_string("device", "cpu"));
  const std::string label = "trial " + std::to_string(trial.id) + " (" + trial.key + ")";
  auto* task = dynamic_cast<SteganographyTask*>(trial.task.get());
  if (task == nullptr) throw Error("steganalyze: " + label + " is not of the steganography task");
  std::cout << std::fixed << std::setprecision(1);
  std::cout << "steganalyze " << label << ": restored in " << seconds_since(start) << " s\n";
  SteganalysisSettings settings;
  settings.network.epochs = options.get_int_at_least("epochs", settings.network.epochs, 1);
  settings.network.pairs_per_batch =
      options.get_int_at_least("batch", settings.network.pairs_per_batch, 1);
  settings.network.learning_rate =
      options.get_number("learning-rate", settings.network.learning_rate);
  settings.max_images = options.get_int_at_least("max-images", 0, 0);
  settings.control = parse_stego_control(options.get_string("control", "none"), "--control");
  // A control's numbers are the detectors', not the trial's.
  const bool record = options.get_bool("record", true) && settings.control == StegoControl::task;
  if (settings.control != StegoControl::task) {
    std::cout << "control '" << options.get_string("control", "") << "': the trial's covers, "
              << (settings.control == StegoControl::lsb ? "LSB replacement at 1 bit per channel"
                                                        : "stego = cover")
              << " instead of its stego images; nothing is recorded\n";
  }
  const TrialSteganalysis run = steganalyse_trial(
      *task, trial.data, settings,
      [](const std::string& line) { std::cout << "  " << line << "\n" << std::flush; });
  std::cout << steganalysis_summary(run) << "\n";
  if (record) {
    services.add_trial_metrics(trial.database, trial.id, "test", steganalysis_metrics(run.result),
                               steganalysis_declarations());
    std::cout << "recorded steganalysis_* of " << label << " (split test) in " << trial.database
              << "\n";
  }
  std::cout << "total " << seconds_since(start) << " s\n";
  return 0;
}

}  // namespace stegolab::steganography
