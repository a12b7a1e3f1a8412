// The image source of a trial: `data`, or, when splits name sources of their
// own (data.train / data.val / data.test), those joined with `data` (built
// only when some split still takes a fraction of it).
#pragma once

#include <memory>

#include "spec/trial_spec.hpp"
#include "stegolab/dataset.hpp"
#include "trainer/trainer.hpp"

namespace stegolab {

std::shared_ptr<ImageSource> make_trial_source(ComponentFactory& factory, const TrialSpec& trial,
                                               const BuildContext& context);

}  // namespace stegolab
