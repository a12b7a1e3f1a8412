// The run of a data-parallel rank other than 0: it trains the trials rank 0
// announces, with rank 0, and writes nothing (no database, checkpoints or
// pictures); it reads the checkpoint rank 0 resumes from.
#pragma once

#include <atomic>

#include "plugin_host/plugin_registry.hpp"
#include "run/sweep_runner.hpp"
#include "spec/experiment_spec.hpp"

namespace stegolab {

// Returns when rank 0 announces the end. Throws one line when a trial fails
// on this rank (rank 0 then stops too: its collectives lose this rank).
void follow_leader(const PluginRegistry& registry, const ExperimentSpec& spec,
                   const RunOptions& options, const std::atomic<bool>* interrupt);

}  // namespace stegolab
