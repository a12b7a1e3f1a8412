#include "cli/host_services.hpp"

#include <filesystem>
#include <iostream>

#include "checkpoint/checkpoint.hpp"
#include "cli/trial_choice.hpp"
#include "device/device_name.hpp"
#include "gallery/stored_trial.hpp"
#include "image_io/image_io.hpp"
#include "store/database_locator.hpp"
#include "store/database_writer_lock.hpp"
#include "store/result_store.hpp"

namespace stegolab::cli {

torch::Device HostServices::device(const std::string& name) {
  return parse_device(name, "--device");
}

RestoredTask HostServices::restore(const std::string& checkpoint_dir, torch::Device device) {
  LoadedCheckpoint loaded = load_checkpoint(checkpoint_dir, registry_, device);
  const CheckpointManifest& m = loaded.manifest;
  return {loaded.task,
          {{"components", m.components},
           {"image_size", m.image_size},
           {"channels", m.channels},
           {"epoch", m.epoch},
           {"metrics", m.metrics},
           {"resize", m.resize}}};
}

torch::Tensor HostServices::read_image(const std::string& file) {
  return stegolab::read_image(file, &std::cerr);
}

torch::Tensor HostServices::read_8bit_image(const std::string& file) {
  return stegolab::read_8bit_image(file, &std::cerr);
}

void HostServices::write_image(const std::string& file, const torch::Tensor& pixels) {
  stegolab::write_image(file, pixels);
}

torch::Tensor HostServices::resize_image(const torch::Tensor& pixels, int64_t height,
                                         int64_t width) {
  return stegolab::resize_image(pixels, height, width);
}

std::shared_ptr<ImageSource> HostServices::data_source(const std::string& plugin,
                                                       const nlohmann::json& params) {
  const ComponentRecord& record = registry_.find("dataset", plugin);
  return registry_.build<ImageSource>(plugin, registry_.resolve_params(record, params),
                                      BuildContext{});
}

RecordedTrial HostServices::recorded_trial(const std::string& database,
                                           const std::string& experiment,
                                           const std::string& trial,
                                           const std::string& checkpoint,
                                           const std::string& device) {
  if (trial.empty()) throw Error("--trial is required (see 'stegolab results list')");
  const std::filesystem::path file = locate_database(database, std::filesystem::current_path());
  const ResultStore store(file, ResultStore::Mode::read_only);
  const TrialRecord record = choose_trial(store, experiment, trial, "trial");
  StoredTrialRequest request;
  request.checkpoint = checkpoint;
  request.device = device;
  const StoredTrial stored = rebuild_stored_trial(store, record, registry_, request);
  RecordedTrial recorded;
  recorded.database = file.string();
  recorded.id = record.id;
  recorded.key = record.key;
  recorded.last_epoch = record.last_epoch;
  recorded.task = stored.components.task;
  recorded.data = {stored.components.source, stored.splits.train, stored.splits.val,
                   stored.splits.test, stored.components.device, stored.spec.eval.batch_size,
                   stored.spec.seed};
  return recorded;
}

namespace {

// The database's only experiment, "external" in one without any.
std::string experiment_for_external(const ResultStore& store) {
  const std::vector<ExperimentRecord> all = store.experiments();
  if (all.empty()) return "external";
  if (all.size() == 1) return all.front().name;
  return choose_experiment(store, "", "the trial's experiment").name;  // throws, naming them
}

}  // namespace

ExternalTrial HostServices::record_external_trial(const std::string& database,
                                                  const std::string& experiment,
                                                  const std::string& name,
                                                  const std::string& kind,
                                                  const nlohmann::json& config) {
  const std::filesystem::path file = locate_database(database, std::filesystem::current_path());
  // A run writing the database would interleave its rows with these.
  DatabaseWriterLock lock(file);
  ResultStore store(file, ResultStore::Mode::read_write);
  lock.lock_created_file();
  ExternalTrial trial;
  trial.database = file.string();
  trial.experiment = experiment.empty() ? experiment_for_external(store) : experiment;
  const ExternalTrialRow row = store.record_external_trial(trial.experiment, name, kind, config);
  trial.id = row.id;
  trial.created = row.created;
  trial.metrics_cleared = row.metrics_cleared;
  return trial;
}

void HostServices::add_trial_metrics(const std::string& database, int64_t trial_id,
                                     const std::string& split,
                                     const std::vector<std::pair<std::string, double>>& values,
                                     const std::vector<MetricDeclaration>& declarations) {
  const std::optional<Split> chosen = parse_split(split);
  if (!chosen) throw Error("metrics of trial " + std::to_string(trial_id) + ": unknown split '" +
                           split + "' (expected train, val or test)");
  const std::filesystem::path file = locate_database(database, std::filesystem::current_path());
  // A run writing the database would interleave its rows with these.
  const DatabaseWriterLock lock(file);
  ResultStore store(file, ResultStore::Mode::read_write);
  const TrialRecord record = store.trial(trial_id);
  std::vector<MetricRow> rows;
  for (const auto& [name, value] : values) {
    rows.push_back({std::max<int64_t>(record.last_epoch, 0), *chosen, name, value});
  }
  store.write_conventions(declarations);
  store.add_final_metrics(trial_id, rows);
}

}  // namespace stegolab::cli
