#include "run/trial_preflight.hpp"

#include <chrono>
#include <map>

#include "data/dataset_splits.hpp"
#include "device/device_name.hpp"
#include "spec/spec_error.hpp"
#include "stegolab/errors.hpp"

namespace stegolab {

namespace {

std::string in_trial(const TrialSpec& trial) { return " (in trial \"" + trial.key + "\")"; }

torch::Device trial_device(const ExperimentSpec& spec, const TrialSpec& trial,
                           const std::string& device_override) {
  try {
    return device_override.empty() ? parse_device(trial.train.device, "train.device")
                                   : parse_device(device_override, "--device");
  } catch (const Error& error) {
    throw SpecError(spec.file + ": " + first_line(error.what()) + in_trial(trial));
  }
}

// The source's image count, built once per distinct data section and seed.
class SourceSizes {
 public:
  SourceSizes(ComponentFactory& factory, const ExperimentSpec& spec, std::ostream* progress)
      : factory_(factory), spec_(spec), progress_(progress) {}

  int64_t size_of(const TrialSpec& trial) {
    const std::string key = trial.data.plugin + trial.data.params.dump();
    const auto found = sizes_.find(key);
    if (found != sizes_.end()) return found->second;
    const auto start = std::chrono::steady_clock::now();
    BuildContext context;
    context.device = torch::kCPU;
    context.seed = trial.seed;
    context.epochs = trial.train.epochs;
    int64_t size = 0;
    try {
      size = factory_.make_source(trial.data, context)->size();
    } catch (const Error& error) {
      throw SpecError(spec_.file + ": data.params: " + first_line(error.what()) +
                      in_trial(trial));
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (progress_ != nullptr && seconds > 2.0) {
      *progress_ << "checked data source '" << trial.data.plugin << "': " << size
                 << " images (" << static_cast<int>(seconds) << " s)\n";
    }
    return sizes_[key] = size;
  }

 private:
  ComponentFactory& factory_;
  const ExperimentSpec& spec_;
  std::ostream* progress_;
  std::map<std::string, int64_t> sizes_;
};

void check_strategy(ComponentFactory& factory, const ExperimentSpec& spec, const TrialSpec& trial,
                    torch::Device device) {
  BuildContext context;
  context.device = device;
  context.seed = trial.seed;
  context.epochs = trial.train.epochs;
  try {
    factory.make_strategy(trial.strategy, context);
  } catch (const Error& error) {
    throw SpecError(spec.file + ": strategy.params: " + first_line(error.what()) +
                    in_trial(trial));
  }
}

}  // namespace

void preflight_trials(ComponentFactory& factory, const ExperimentSpec& spec,
                      const std::string& device_override, std::ostream* progress) {
  SourceSizes sources(factory, spec, progress);
  for (const TrialSpec& trial : spec.trials) {
    const torch::Device device = trial_device(spec, trial, device_override);
    check_strategy(factory, spec, trial, device);
    try {
      make_dataset_splits(sources.size_of(trial), trial.split, trial.seed);
    } catch (const SpecError&) {
      throw;
    } catch (const Error& error) {
      throw SpecError(spec.file + ": " + first_line(error.what()) + in_trial(trial));
    }
  }
}

}  // namespace stegolab
