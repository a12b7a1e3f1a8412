// The in-tree plugins of this build, discovered once per test binary and
// shared by its tests (loading them is the slow part of building a component).
#pragma once

#include "plugin_host/plugin_registry.hpp"
#include "support/build_locations.hpp"

namespace stegolab::testing {

inline PluginRegistry& test_plugin_registry() {
  static PluginRegistry* loaded = [] {
    auto* registry = new PluginRegistry();  // never freed: plugins outlive every test
    registry->discover({STEGOLAB_TEST_PLUGIN_DIR});
    return registry;
  }();
  return *loaded;
}

}  // namespace stegolab::testing
