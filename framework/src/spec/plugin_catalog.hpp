// PluginCatalog: what the spec needs to know about plugins to validate an
// experiment. The real one reads the plugin registry (registry_catalog.hpp);
// tests substitute a small in-process catalog, so the spec's checks can be
// tested without building any plugin library.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "stegolab/plugin.hpp"

namespace stegolab {

class PluginCatalog {
 public:
  virtual ~PluginCatalog() = default;
  // The component `name` of `kind` ("dataset", "transform", "model", "loss",
  // "strategy"); throws an Error listing the known ones of that kind when
  // there is none.
  virtual const PluginInfo& info(const std::string& kind, const std::string& name) const = 0;
  // The parameters checked against the component's documentation (unknown
  // keys with a suggestion, JSON types, required ones) with documented
  // defaults filled in; throws ParamError.
  virtual nlohmann::json resolve_params(const std::string& kind, const std::string& name,
                                        const nlohmann::json& params) const = 0;
};

}  // namespace stegolab
