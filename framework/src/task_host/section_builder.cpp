#include "task_host/section_builder.hpp"

#include "stegolab/errors.hpp"

namespace stegolab {

bool SectionBuilder::has(const std::string& section) const {
  const auto found = sections_.find(section);
  return found != sections_.end() && !found->second.plugin.empty();
}

std::string SectionBuilder::plugin(const std::string& section) const {
  return has(section) ? sections_.at(section).plugin : std::string();
}

std::shared_ptr<void> SectionBuilder::build_erased(const std::string& section,
                                                   const std::string& kind,
                                                   const BuildContext& context) {
  if (!has(section)) {
    throw Error(task_ + " asked for the section '" + section + "', which names no plugin (add \"" +
                section + "\": {\"plugin\": ...})");
  }
  std::shared_ptr<void> built = make_(kind, sections_.at(section), context);
  if (!built) throw Error(kind + " '" + plugin(section) + "' returned nothing from its factory");
  return built;
}

std::shared_ptr<void> SectionBuilder::build_plugin_erased(const std::string& kind,
                                                          const std::string& plugin,
                                                          const nlohmann::json& params,
                                                          const BuildContext& context) {
  std::shared_ptr<void> built = make_(kind, ComponentSpec{plugin, params}, context);
  if (!built) throw Error(kind + " '" + plugin + "' returned nothing from its factory");
  return built;
}

}  // namespace stegolab
