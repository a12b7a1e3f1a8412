// What only a built component can tell about a trial, checked for every
// trial of a sweep before the first one runs (and by `run --dry-run`): the
// device exists, the strategy accepts it (fp16 needs CUDA), and the data
// source holds enough images for the trial's split. A bad value in trial 40
// is then an error before trial 1 trains, naming the file, the JSON path and
// the trial.
#pragma once

#include <ostream>
#include <string>

#include "spec/experiment_spec.hpp"
#include "trainer/trainer.hpp"

namespace stegolab {

// `device_override`: the run's --device ("" = each trial's train.device).
// Builds each distinct data section once (a folder source decodes its images:
// `progress` says so when that takes a while) and each trial's strategy,
// which holds nothing before setup. Throws SpecError.
void preflight_trials(ComponentFactory& factory, const ExperimentSpec& spec,
                      const std::string& device_override, std::ostream* progress);

}  // namespace stegolab
