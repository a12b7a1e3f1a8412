// `stegolab plugins show` for a component a task trains (a model): its size
// in the default configuration, counted through a task that uses it.
#pragma once

#include <ostream>

#include "plugin_host/plugin_registry.hpp"

namespace stegolab::cli {

// Builds, with default parameters, the first installed task that has a
// section of the component's kind, with the component in that section and
// each other section filled by its default plugin (or, when it has none, the
// first installed plugin of its kind), and prints the task's trained
// parameters and inference FLOPs per 224x224 image. Says in one line when no
// such configuration builds.
void print_component_size(const PluginRegistry& registry, const ComponentRecord& component,
                          std::ostream& out);

}  // namespace stegolab::cli
