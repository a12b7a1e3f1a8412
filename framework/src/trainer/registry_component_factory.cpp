// Kept apart from trainer.cpp so that code using only the injectable
// constructor (tests) does not pull in the plugin loader.
#include "trainer/registry_component_factory.hpp"

#include "trainer/directory_checkpointer.hpp"

namespace stegolab {

Trainer::Trainer(const PluginRegistry& registry, TrainerOptions options)
    : Trainer(std::make_shared<RegistryComponentFactory>(registry), options) {
  // The production path writes real checkpoints, readable by the tasks' commands.
  checkpointer_ = std::make_shared<DirectoryCheckpointer>();
}

}  // namespace stegolab
