// The end-of-run table of an experiment that declares no reports: each
// trial's status, the task's summary metrics on the test split and its
// training throughput.
#pragma once

#include <cstdint>
#include <ostream>

#include "spec/experiment_spec.hpp"
#include "store/result_store.hpp"

namespace stegolab {

void print_summary_table(const ExperimentSpec& spec, ResultStore& store, int64_t experiment_id,
                         std::ostream& out);

}  // namespace stegolab
