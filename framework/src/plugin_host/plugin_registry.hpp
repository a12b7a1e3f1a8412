// PluginRegistry: every component of every loaded plugin library, by kind and name.
//
// Libraries are loaded once and never unloaded while the process lives:
// tensors, autograd nodes and exceptions made by a plugin may outlive any
// handle we could reasonably track.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "stegolab/errors.hpp"
#include "stegolab/plugin.hpp"

namespace stegolab {

// A plugin file could not be loaded, or a component could not be built.
class PluginLoadError : public Error {
 public:
  using Error::Error;
};

struct ComponentRecord {
  PluginInfo info;
  std::filesystem::path file;            // the library it came from
  const void* factory = nullptr;         // shared_ptr<Kind>(*)(const Params&, const BuildContext&)
  const void* erased_factory = nullptr;  // shared_ptr<void>(*)(const Params&, const BuildContext&)
};

struct LoadProblem {
  std::filesystem::path file;
  std::string message;  // one line, already names the file
};

class PluginRegistry {
 public:
  // The host's search path: the build's plugin folder (next to the binary),
  // the installed plugin folder, then STEGOLAB_PLUGIN_PATH (colon-separated),
  // then `extra` (from --plugin-path), in that order.
  static std::vector<std::filesystem::path> search_path(const std::vector<std::string>& extra);

  // Loads every plugin on `path`. Folders are scanned (not recursively) for
  // *.so files; a file that fails is recorded in problems() and skipped, so
  // one broken plugin does not hide the others.
  void discover(const std::vector<std::filesystem::path>& path);
  // Loads one library; throws PluginLoadError with a one-line reason.
  void load(const std::filesystem::path& file);

  const std::vector<LoadProblem>& problems() const { return problems_; }
  // All components, or those of one kind, sorted by kind then name.
  std::vector<const ComponentRecord*> components(const std::string& kind = "") const;
  // Throws PluginLoadError listing the known components of that kind.
  const ComponentRecord& find(const std::string& kind, const std::string& name) const;
  const ComponentRecord* find_any_kind(const std::string& name) const;

  // Checks `params` against the component's documented parameters (unknown
  // keys with a suggestion, JSON types, required ones) and returns them with
  // the documented defaults filled in. Throws ParamError.
  nlohmann::json resolve_params(const ComponentRecord& component,
                                const nlohmann::json& params) const;

  // Builds component `name` of `kind`, type-erased: the pointer is the
  // plugin's Interface* of that kind. Throws PluginLoadError or ParamError.
  std::shared_ptr<void> build_erased(const std::string& kind, const std::string& name,
                                     const nlohmann::json& params,
                                     const BuildContext& context) const;

  template <class Interface>
  std::shared_ptr<Interface> build(const std::string& name, const nlohmann::json& params,
                                   const BuildContext& context) const {
    return std::static_pointer_cast<Interface>(
        build_erased(KindOf<Interface>::name, name, params, context));
  }

 private:
  std::vector<std::unique_ptr<ComponentRecord>> components_;
  std::vector<LoadProblem> problems_;
  std::vector<std::filesystem::path> loaded_files_;
};

}  // namespace stegolab
