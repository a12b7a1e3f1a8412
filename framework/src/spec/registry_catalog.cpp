#include "spec/registry_catalog.hpp"

namespace stegolab {

const PluginInfo& RegistryCatalog::info(const std::string& kind, const std::string& name) const {
  return registry_.find(kind, name).info;
}

nlohmann::json RegistryCatalog::resolve_params(const std::string& kind, const std::string& name,
                                               const nlohmann::json& params) const {
  return registry_.resolve_params(registry_.find(kind, name), params);
}

ExperimentSpec load_experiment(const std::filesystem::path& file, const PluginRegistry& registry) {
  const RegistryCatalog catalog(registry);
  return load_experiment(file, catalog);
}

}  // namespace stegolab
