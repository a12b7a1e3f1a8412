// SectionBuilder: the host's ComponentBuilder. A task asks for its sections
// by name; this builds each from the plugin and parameters the experiment
// (or a checkpoint's manifest) gives it, checking the plugin's kind.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "spec/trial_spec.hpp"
#include "stegolab/task.hpp"

namespace stegolab {

class SectionBuilder : public ComponentBuilder {
 public:
  // Builds `spec`'s plugin of `kind`, type-erased (the registry, or a test's fakes).
  using Make = std::function<std::shared_ptr<void>(
      const std::string& kind, const ComponentSpec& spec, const BuildContext& context)>;

  // `task` names the task in messages ("task 'steganography'").
  SectionBuilder(std::string task, SectionSpecs sections, Make make)
      : task_(std::move(task)), sections_(std::move(sections)), make_(std::move(make)) {}

  bool has(const std::string& section) const override;
  std::string plugin(const std::string& section) const override;
  std::shared_ptr<void> build_erased(const std::string& section, const std::string& kind,
                                     const BuildContext& context) override;
  std::shared_ptr<void> build_plugin_erased(const std::string& kind, const std::string& plugin,
                                            const nlohmann::json& params,
                                            const BuildContext& context) override;

 private:
  std::string task_;
  SectionSpecs sections_;
  Make make_;
};

}  // namespace stegolab
