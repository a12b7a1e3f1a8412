// The in-tree plugins that the tests running a tiny real experiment need.
#pragma once

#include <string>

#include "support/build_locations.hpp"
#include "plugin_host/plugin_registry.hpp"

// The first of them that `registry` lacks; "" when it has them all (tests
// skip, naming it, in a build without one).
inline std::string missing_tiny_run_plugin(const stegolab::PluginRegistry& registry) {
  for (const char* name : {"synthetic", "haar_dwt", "star_inn", "stego_loss", "standard"}) {
    if (!registry.find_any_kind(name)) return name;
  }
  return "";
}

// The same for the plugins of this build's plugin folder.
inline std::string missing_tiny_run_plugin() {
  stegolab::PluginRegistry registry;
  registry.discover({STEGOLAB_TEST_PLUGIN_DIR});
  return missing_tiny_run_plugin(registry);
}
