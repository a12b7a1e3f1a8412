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
  std::shared_ptr<Transform> make_transform(const ComponentSpec& spec,
                                            const BuildContext& context) override {
    return registry_.build<Transform>(spec.plugin, spec.params, context);
  }
  std::shared_ptr<StegoModel> make_model(const ComponentSpec& spec,
                                         const BuildContext& context) override {
    return registry_.build<StegoModel>(spec.plugin, spec.params, context);
  }
  std::shared_ptr<Loss> make_loss(const ComponentSpec& spec, const BuildContext& context) override {
    return registry_.build<Loss>(spec.plugin, spec.params, context);
  }
  std::shared_ptr<Strategy> make_strategy(const ComponentSpec& spec,
                                          const BuildContext& context) override {
    return registry_.build<Strategy>(spec.plugin, spec.params, context);
  }

 private:
  const PluginRegistry& registry_;
};

}  // namespace stegolab
