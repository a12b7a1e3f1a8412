#include "stegolab/parameter_group.hpp"

#include <algorithm>
#include <set>
#include <utility>

#include "stegolab/errors.hpp"

namespace stegolab {

GroupedParameters::GroupedParameters(std::string group, double learning_rate)
    : group_(std::move(group)), learning_rate_(learning_rate) {
  if (group_.empty()) throw Error("a parameter group needs a name");
  if (!(learning_rate_ > 0.0)) {
    throw Error("parameter group '" + group_ + "': learning rate must be > 0, got " +
                std::to_string(learning_rate_));
  }
}

GroupedParameters::~GroupedParameters() = default;

namespace {

ParameterGroup& group_named(std::vector<ParameterGroup>& groups, const GroupedParameters& owner) {
  auto found = std::find_if(groups.begin(), groups.end(), [&](const ParameterGroup& group) {
    return group.name == owner.group();
  });
  if (found == groups.end()) {
    groups.push_back({owner.group(), owner.learning_rate(), {}});
    return groups.back();
  }
  if (found->learning_rate != owner.learning_rate()) {
    throw Error("parameter group '" + owner.group() + "' is declared with learning rates " +
                std::to_string(found->learning_rate) + " and " +
                std::to_string(owner.learning_rate()));
  }
  return *found;
}

}  // namespace

std::vector<ParameterGroup> split_parameter_groups(
    const std::vector<std::shared_ptr<torch::nn::Module>>& modules,
    std::vector<torch::Tensor>& ungrouped) {
  std::vector<ParameterGroup> groups;
  std::set<const void*> seen;
  for (const auto& module : modules) {
    for (const auto& submodule : module->modules(/*include_self=*/true)) {
      const auto* owner = dynamic_cast<const GroupedParameters*>(submodule.get());
      if (owner == nullptr) continue;
      ParameterGroup& group = group_named(groups, *owner);
      for (const auto& parameter : submodule->parameters()) {
        if (seen.insert(parameter.unsafeGetTensorImpl()).second) group.parameters.push_back(parameter);
      }
    }
  }
  for (const auto& module : modules) {
    for (const auto& parameter : module->parameters()) {
      if (seen.insert(parameter.unsafeGetTensorImpl()).second) ungrouped.push_back(parameter);
    }
  }
  return groups;
}

}  // namespace stegolab
