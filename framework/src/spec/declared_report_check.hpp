// The reports an experiment declares, checked before any trial runs.
#pragma once

#include <string>

#include "spec/experiment_spec.hpp"

namespace stegolab {

// Every declared report, checked as the report module will read it, and its
// rows and cols against the trials, so that a mistake in a report stops the
// run before its trials instead of after them. Throws SpecError.
void check_reports(const ExperimentSpec& spec, const std::string& file);

}  // namespace stegolab
