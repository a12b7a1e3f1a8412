// The trainer's default component factory: plugins from the registry.
#pragma once

#include "plugin_host/plugin_registry.hpp"
#include "trainer/trainer.hpp"

namespace stegolab {

class RegistryComponentFactory : public ComponentFactory {
 public:
  explicit RegistryComponentFactory(const PluginRegistry& registry) : registry_(registry) {}
  std::shared_ptr<ImageSource> make_source(const ComponentSpec& spec,
                                           const BuildContext& context) override {
    return registry_.build<ImageSource>(spec.plugin, spec.params, context);
  }
  std::shared_ptr<Task> make_task(const ComponentSpec& spec, const BuildContext& context) override {
    return registry_.build<Task>(spec.plugin, spec.params, context);
  }
  std::shared_ptr<void> make_section(const std::string& kind, const ComponentSpec& spec,
                                     const BuildContext& context) override {
    return registry_.build_erased(kind, spec.plugin, spec.params, context);
  }
  std::shared_ptr<Strategy> make_strategy(const ComponentSpec& spec,
                                          const BuildContext& context) override {
    return registry_.build<Strategy>(spec.plugin, spec.params, context);
  }

 private:
  const PluginRegistry& registry_;
};

}  // namespace stegolab
