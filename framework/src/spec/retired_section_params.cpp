#include "spec/retired_section_params.hpp"

#include "plugin_host/retired_params.hpp"
#include "spec/spec_error.hpp"

namespace stegolab {

void refuse_retired_params(const PluginCatalog& catalog, const std::string& kind,
                           const nlohmann::json& component, const std::string& file,
                           const std::string& section, const std::string& context) {
  const PluginInfo* info = nullptr;
  try {
    info = &catalog.info(kind, component.at("plugin").get<std::string>());
  } catch (const std::exception&) {
    return;
  }
  if (const RetiredParam* retired = first_retired_param(*info, component.at("params"))) {
    fail_spec(file, section + ".params." + retired->name,
              retired_param_message(*info, *retired) + context);
  }
}

}  // namespace stegolab
