#include "run/trial_preflight.hpp"

#include <chrono>
#include <map>

#include "data/joined_sources.hpp"
#include "device/device_name.hpp"
#include "spec/spec_error.hpp"
#include "stegolab/errors.hpp"
#include "trainer/trial_source.hpp"

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

// The trial's source, built once per distinct data section.
class TrialSources {
 public:
  TrialSources(ComponentFactory& factory, const ExperimentSpec& spec, std::ostream* progress)
      : factory_(factory), spec_(spec), progress_(progress) {}

  const ImageSource& source_of(const TrialSpec& trial) {
    std::string key = trial.data.plugin + trial.data.params.dump();
    for (const auto& [split, own] : trial.split_sources) {
      key += "|" + split + own.plugin + own.params.dump();
    }
    const auto found = sources_.find(key);
    if (found != sources_.end()) return *found->second;
    const auto start = std::chrono::steady_clock::now();
    BuildContext context;
    context.device = torch::kCPU;
    context.seed = trial.seed;
    context.epochs = trial.train.epochs;
    std::shared_ptr<ImageSource> source;
    try {
      source = make_trial_source(factory_, trial, context);
    } catch (const Error& error) {
      const std::string message = first_line(error.what());
      throw SpecError(spec_.file + ": " +
                      (message.rfind("data.", 0) == 0 ? "" : "data.params: ") + message +
                      in_trial(trial));
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (progress_ != nullptr && seconds > 2.0) {
      *progress_ << "checked data source '" << trial.data.plugin << "': " << source->size()
                 << " images (" << static_cast<int>(seconds) << " s)\n";
    }
    return *(sources_[key] = source);
  }

 private:
  ComponentFactory& factory_;
  const ExperimentSpec& spec_;
  std::ostream* progress_;
  std::map<std::string, std::shared_ptr<ImageSource>> sources_;
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
  TrialSources sources(factory, spec, progress);
  for (const TrialSpec& trial : spec.trials) {
    const torch::Device device = trial_device(spec, trial, device_override);
    check_strategy(factory, spec, trial, device);
    try {
      make_trial_splits(sources.source_of(trial), trial.split, trial.seed);
    } catch (const SpecError&) {
      throw;
    } catch (const Error& error) {
      throw SpecError(spec.file + ": " + first_line(error.what()) + in_trial(trial));
    }
  }
}

}  // namespace stegolab
