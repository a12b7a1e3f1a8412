#include "plugin_host/retired_params.hpp"

namespace stegolab {

const RetiredParam* first_retired_param(const PluginInfo& info, const nlohmann::json& params) {
  if (!params.is_object()) return nullptr;
  for (const RetiredParam& retired : info.retired_params) {
    if (params.contains(retired.name)) return &retired;
  }
  return nullptr;
}

std::string retired_param_message(const PluginInfo& info, const RetiredParam& retired) {
  return info.kind + " '" + info.name + "' no longer takes '" + retired.name +
         "': " + retired.instead;
}

}  // namespace stegolab
