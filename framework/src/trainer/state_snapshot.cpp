#include "trainer/state_snapshot.hpp"

#include <sstream>

#include <torch/torch.h>

namespace stegolab {

namespace {

template <class Saveable>
std::string serialised(const Saveable& saveable) {
  torch::serialize::OutputArchive archive;
  saveable.save(archive);
  std::ostringstream bytes;
  archive.save_to(bytes);
  return bytes.str();
}

template <class Loadable>
void deserialise(const std::string& bytes, Loadable& loadable, torch::Device device) {
  std::istringstream in(bytes);
  torch::serialize::InputArchive archive;
  archive.load_from(in, device);
  loadable.load(archive);
}

}  // namespace

void StateSnapshot::capture(const std::vector<NamedModule>& modules, const Strategy& strategy) {
  modules_.clear();
  for (const auto& [name, module] : modules) modules_.push_back(serialised(*module));
  strategy_ = serialised(strategy);
}

void StateSnapshot::restore(const std::vector<NamedModule>& modules, Strategy& strategy,
                            torch::Device device) const {
  for (std::size_t i = 0; i < modules.size() && i < modules_.size(); ++i) {
    deserialise(modules_[i], *modules[i].second, device);
  }
  deserialise(strategy_, strategy, device);
}

}  // namespace stegolab
