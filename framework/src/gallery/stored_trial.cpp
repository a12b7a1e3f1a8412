#include "gallery/stored_trial.hpp"

#include "checkpoint/checkpoint.hpp"
#include "device/device_name.hpp"
#include "run/sweep_runner.hpp"
#include "spec/experiment_spec.hpp"
#include "spec/registry_catalog.hpp"
#include "trainer/registry_component_factory.hpp"

namespace stegolab {

namespace {

// The trial's folder: beside the database, where `run` puts it, so that a
// database moved with its runs folder is found; else as recorded.
std::filesystem::path trial_folder(const ResultStore& store, const TrialRecord& record) {
  const std::filesystem::path beside = run_folder(store.file()) / std::to_string(record.id);
  if (std::filesystem::is_directory(beside) || record.checkpoint_dir.empty()) return beside;
  return record.checkpoint_dir;
}

TrialSpec stored_trial_spec(const ResultStore& store, const TrialRecord& record,
                            const PluginRegistry& registry, const std::string& label) {
  const ExperimentRecord experiment = store.experiment(std::to_string(record.experiment_id));
  ExperimentSpec spec;
  try {
    spec = parse_experiment(
        experiment.experiment.dump(),
        "experiment '" + experiment.name + "' as stored in " + store.file().string(),
        RegistryCatalog(registry));
  } catch (const Error& error) {
    throw Error(label +
                ": its experiment does not load with these plugins: " + first_line(error.what()));
  }
  for (TrialSpec& trial : spec.trials) {
    if (trial.key == record.key) return trial;
  }
  throw Error(label + ": the stored experiment has no trial of key '" + record.key + "'");
}

bool declares_param(const PluginInfo& info, const std::string& name) {
  for (const ParamDoc& doc : info.params) {
    if (doc.name == name) return true;
  }
  return false;
}

// The evaluation samples' side: `eval_crop` where the source crops at native
// resolution (no positive `size`), else `size`.
void set_image_size(ComponentSpec& data, int64_t size, const PluginRegistry& registry,
                    const std::string& label) {
  const PluginInfo& info = registry.find("dataset", data.plugin).info;
  const nlohmann::json resize = data.params.value("size", nlohmann::json());
  const bool resizing = resize.is_number() && resize.get<double>() > 0;
  if (declares_param(info, "eval_crop") && !resizing) {
    data.params["eval_crop"] = size;
    return;
  }
  if (declares_param(info, "size")) {
    data.params["size"] = size;
    return;
  }
  throw Error(label + ": --size: data source '" + data.plugin +
              "' has no 'size' or 'eval_crop' parameter to set");
}

void set_image_size(TrialSpec& trial, int64_t size, const PluginRegistry& registry,
                    const std::string& label) {
  set_image_size(trial.data, size, registry, label);
  for (auto& [split, own] : trial.split_sources) set_image_size(own, size, registry, label);
}

}  // namespace

StoredTrial rebuild_stored_trial(const ResultStore& store, const TrialRecord& record,
                                 const PluginRegistry& registry,
                                 const StoredTrialRequest& request) {
  const std::string label = "trial " + std::to_string(record.id) + " (" + record.key + ")";
  if (request.checkpoint != "best" && request.checkpoint != "last") {
    throw Error("--checkpoint: expected best or last, got '" + request.checkpoint + "'");
  }
  StoredTrial stored;
  stored.checkpoint_dir = trial_folder(store, record);
  const std::filesystem::path weights = stored.checkpoint_dir / request.checkpoint;
  if (!std::filesystem::is_regular_file(weights / "checkpoint.json")) {
    throw Error(label + ": no " + request.checkpoint + " checkpoint in '" +
                stored.checkpoint_dir.string() + "'");
  }
  stored.spec = stored_trial_spec(store, record, registry, label);
  if (request.image_size) set_image_size(stored.spec, *request.image_size, registry, label);
  stored.spec.train.device = request.device;
  RegistryComponentFactory factory(registry);
  stored.components =
      build_trial_components(factory, stored.spec, parse_device(request.device, "--device"));
  const CheckpointManifest manifest = read_checkpoint_manifest(weights);
  for (const NamedModule& module : stored.components.modules) {
    load_module_weights(weights, module, module_owner(manifest, module.first),
                        stored.components.device);
  }
  set_training_mode(stored.components.modules, false);
  stored.splits =
      make_trial_splits(*stored.components.source, stored.spec.split, stored.spec.seed);
  return stored;
}

}  // namespace stegolab
