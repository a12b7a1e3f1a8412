// RegistryCatalog: the PluginCatalog of the loaded plugin libraries.
#pragma once

#include <filesystem>

#include "plugin_host/plugin_registry.hpp"
#include "spec/experiment_spec.hpp"
#include "spec/plugin_catalog.hpp"

namespace stegolab {

class RegistryCatalog : public PluginCatalog {
 public:
  explicit RegistryCatalog(const PluginRegistry& registry) : registry_(registry) {}
  const PluginInfo& info(const std::string& kind, const std::string& name) const override;
  nlohmann::json resolve_params(const std::string& kind, const std::string& name,
                                const nlohmann::json& params) const override;

 private:
  const PluginRegistry& registry_;
};

// load_experiment() against the plugins in `registry`.
ExperimentSpec load_experiment(const std::filesystem::path& file, const PluginRegistry& registry);

}  // namespace stegolab
