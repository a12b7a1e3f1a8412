// The plugin contract: API version, self-description and the one
// registration macro a plugin uses.
//
// A plugin library exports, per component, three Boost.DLL aliases in the
// "stegolab" section of the shared object:
//   stegolab_api_<id>   int()                    the SDK API version it was built for
//   stegolab_info_<id>  PluginInfo()             name, kind, version, summary, parameters
//   stegolab_make_<id>  shared_ptr<Kind>(Params, BuildContext)   the factory
// The host reads the API version first, through a signature that never
// changes, and touches nothing else of a library built for another version.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <torch/types.h>
#include <boost/dll/alias.hpp>
#include <nlohmann/json.hpp>

#include "stegolab/export.hpp"
#include "stegolab/params.hpp"

namespace stegolab {

// Bump on any change to a struct or interface in this SDK that a plugin
// built against the old headers would misread (layouts, virtual functions).
// 2: Strategy::step() takes StepLimits; StepReport carries the host loss.
constexpr int kApiVersion = 2;

// One documented parameter. The host rejects keys that are not documented and
// values whose JSON type differs from `type`, and fills in `default_value`.
struct ParamDoc {
  std::string name;
  std::string type;  // "int" | "number" | "bool" | "string" | "array" | "object" | "any"
  nlohmann::json default_value;  // null means the parameter is required
  std::string help;
};

struct PluginInfo {
  int api_version = kApiVersion;
  std::string kind;  // "transform" | "model" | "loss" | "strategy" | "dataset"; set by the macro
  std::string name;  // unique across all loaded plugins; equals the registration id
  std::string version;
  std::string summary;  // one line
  std::vector<ParamDoc> params;
};

class Transform;

// What the host knows when it builds a component: the components it depends
// on and the trial's settings. Components take what they need from here
// rather than from globals, so two trials can be built side by side.
struct BuildContext {
  torch::Device device = torch::kCPU;
  int64_t image_size = 0;  // square training images, pixels per side
  int64_t channels = 3;    // image channels
  uint64_t seed = 0;       // the trial's seed
  int64_t epochs = 1;      // planned epochs of the trial (losses ramp weights over them)
  std::shared_ptr<Transform> transform;  // set for models and losses
};

// Maps an interface to its kind name; specialised in each interface header.
template <class Interface>
struct KindOf;

namespace detail {
template <class Interface>
PluginInfo stamp(PluginInfo info, const char* id) {
  info.api_version = kApiVersion;
  info.kind = KindOf<Interface>::name;
  if (info.name.empty()) info.name = id;
  return info;
}
}  // namespace detail

}  // namespace stegolab

// Registers one component. `Id` is its name (a C identifier), `InfoFn` a
// function returning its PluginInfo, `MakeFn` its factory:
//   std::shared_ptr<Interface> MakeFn(const stegolab::Params&, const stegolab::BuildContext&)
// Use it once per component, at namespace scope, in any source of the plugin.
#define STEGOLAB_PLUGIN(Interface, Id, InfoFn, MakeFn)                             \
  static int stegolab_api_fn_##Id() { return ::stegolab::kApiVersion; }            \
  static ::stegolab::PluginInfo stegolab_info_fn_##Id() {                          \
    return ::stegolab::detail::stamp<Interface>(InfoFn(), #Id);                    \
  }                                                                                \
  static std::shared_ptr<Interface> stegolab_make_fn_##Id(                         \
      const ::stegolab::Params& params, const ::stegolab::BuildContext& context) { \
    return MakeFn(params, context);                                                \
  }                                                                                \
  BOOST_DLL_ALIAS_SECTIONED(stegolab_api_fn_##Id, stegolab_api_##Id, stegolab)     \
  BOOST_DLL_ALIAS_SECTIONED(stegolab_info_fn_##Id, stegolab_info_##Id, stegolab)   \
  BOOST_DLL_ALIAS_SECTIONED(stegolab_make_fn_##Id, stegolab_make_##Id, stegolab)
