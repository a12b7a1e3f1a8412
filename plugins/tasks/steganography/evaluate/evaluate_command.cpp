// `stegolab evaluate --name N --cover C --stego S [--secret X --recovered R]`:
// another method's output files measured with this task's metrics (and,
// with --steganalysis, its detectors), recorded as a trial of kind
// `external` named N, so that published baselines sit in the same tables as
// the trained trials.
#include <filesystem>
#include <iomanip>
#include <iostream>

#include "../metric_declarations.hpp"
#include "../steganalysis/steganalysis.hpp"
#include "../steganalysis/trial_steganalysis.hpp"
#include "../steganography_commands.hpp"
#include "external_images.hpp"
#include "external_steganalysis.hpp"
#include "stegolab/errors.hpp"

namespace stegolab::steganography {

namespace {

ExternalFolders folders_of(const Params& options) {
  ExternalFolders folders{options.get_string("cover", ""), options.get_string("stego", ""),
                          options.get_string("secret", ""), options.get_string("recovered", "")};
  if (!folders.recovered.empty() && folders.secret.empty()) {
    throw Error("evaluate: --recovered needs --secret, the originals it is compared with");
  }
  if (!options.get_string("attack", "").empty() && folders.recovered.empty()) {
    throw Error(
        "evaluate: --attack names what the --recovered images went through; give "
        "--recovered too");
  }
  return folders;
}

std::string absolute(const std::string& folder) {
  return folder.empty() ? "" : std::filesystem::absolute(folder).lexically_normal().string();
}

// What the trial is: the images measured. A rerun under the same name with
// other images deletes the earlier metrics; the same images keep them (a
// later --steganalysis or --attack adds to them). The recovered folder is
// not part of it: its metrics are named by --attack and replaced alone.
nlohmann::json trial_config(const ExternalFolders& folders, const ExternalImages& images) {
  nlohmann::json config = {
      {"evaluated_from", {{"cover", absolute(folders.cover)}, {"stego", absolute(folders.stego)}}},
      {"images", images.names.size()},
      {"size", images_size(images)},
      {"fingerprint", images_fingerprint(images)}};
  if (!folders.secret.empty()) config["evaluated_from"]["secret"] = absolute(folders.secret);
  return config;
}

// `reading_seconds`: the time the files took, reported where a trial's
// steganalysis reports making its stego images.
std::vector<std::pair<std::string, double>> steganalysis_of(const ExternalImages& images,
                                                            const Params& options,
                                                            double reading_seconds) {
  const ExternalSplit split =
      split_for_steganalysis(images, options.get_number_in("test-fraction", 0.5, 0.0, 1.0),
                             static_cast<uint64_t>(options.get_int("seed", 0)));
  SteganalyserOptions network;
  network.epochs = options.get_int_at_least("epochs", network.epochs, 1);
  network.pairs_per_batch = options.get_int_at_least("batch", network.pairs_per_batch, 1);
  network.learning_rate = options.get_number("learning-rate", network.learning_rate);
  network.seed = static_cast<uint64_t>(options.get_int("seed", 0));
  std::cout << "  steganalysis: " << split.train.size() << " train and " << split.test.size()
            << " test cover/stego pairs\n";
  TrialSteganalysis run;
  run.train_pairs = split.train.size();
  run.test_pairs = split.test.size();
  run.stego_seconds = reading_seconds;
  run.result =
      steganalyse(split.train, split.test, network, [&](int64_t epoch, double loss, double right) {
        std::cout << std::setprecision(4) << "  steganalysis epoch " << epoch << "/"
                  << network.epochs << ": loss " << loss << ", train accuracy "
                  << std::setprecision(3) << right << "\n"
                  << std::flush;
      });
  std::cout << steganalysis_summary(run) << "\n";
  return steganalysis_metrics(run.result);
}

}  // namespace

int EvaluateCommand::run(const Params& options, CommandServices& services) {
  const auto start = std::chrono::steady_clock::now();
  const std::string name = options.get_string("name", "");
  if (name.empty()) throw Error("evaluate: --name must not be empty");
  const ExternalFolders folders = folders_of(options);
  const ExternalImages images = read_external_images(services, folders);
  const double reading_seconds = seconds_since(start);
  const std::string attack = options.get_string("attack", "");
  std::cout << std::fixed << "evaluate '" << name << "': " << images.names.size()
            << " matched images of " << images_size(images) << "\n";
  std::vector<std::pair<std::string, double>> metrics =
      external_metrics(images, attack.empty() ? "" : "@" + attack);
  for (const auto& [metric, value] : metrics) {
    std::cout << "  " << std::setprecision(metric.rfind("ber", 0) == 0 ? 6 : 4) << metric << " "
              << value << "\n";
  }
  if (options.get_bool("steganalysis", false)) {
    for (const auto& value : steganalysis_of(images, options, reading_seconds)) {
      metrics.push_back(value);
    }
  }
  const ExternalTrial trial = services.record_external_trial(
      options.get_string("db", ""), options.get_string("experiment", ""), name, "external",
      trial_config(folders, images));
  std::vector<MetricDeclaration> declarations = metric_declarations();
  for (const MetricDeclaration& m : steganalysis_declarations()) declarations.push_back(m);
  services.add_trial_metrics(trial.database, trial.id, "test", metrics, declarations);
  std::cout << (trial.created ? "recorded" : "updated") << " trial " << trial.id << " '" << name
            << "' (external) of experiment '" << trial.experiment << "' in " << trial.database
            << (trial.metrics_cleared ? "; other images than before: its earlier metrics were "
                                        "deleted"
                                      : "")
            << "\n";
  return 0;
}

}  // namespace stegolab::steganography
