// The plugin contract: API version, self-description and the one
// registration macro a plugin uses.
//
// A plugin library exports, per component, four Boost.DLL aliases in the
// "stegolab" section of the shared object:
//   stegolab_abi_<id>    AbiRecord (plain C data)  SDK API, LibTorch version, C++ ABI, compiler
//   stegolab_info_<id>   PluginInfo()              name, kind, version, summary, parameters
//   stegolab_make_<id>   shared_ptr<Kind>(Params, BuildContext)   the factory
//   stegolab_erased_<id> shared_ptr<void>(Params, BuildContext)   the same, type-erased
// The host reads the ABI record first, as plain data, and calls no C++
// function of a library built for another API, LibTorch, C++ ABI or compiler.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <optional>

#include <torch/types.h>
#include <torch/version.h>
#include <boost/dll/alias.hpp>
#include <nlohmann/json.hpp>

#include "stegolab/export.hpp"
#include "stegolab/metric_declaration.hpp"
#include "stegolab/params.hpp"

namespace stegolab {

// Bump on any change to a struct or interface in this SDK that a plugin
// built against the old headers would misread (layouts, virtual functions).
// 2: Strategy::step() takes StepLimits; StepReport carries the host loss.
// 3: the Task and Command kinds; batches and loss inputs are TensorMaps; the
//    ABI record; ParamDoc bounds and choices.
// 4: ImageSource::seed_augmentations() (bit-identical resume).
// 5: Task::gallery().
// 6: StrategySetup::groups (parameter groups at their own learning rate); the
//    Attack kind; ComponentBuilder::build_plugin_erased(); BuildContext::secrets,
//    source, folder; ImageSource::image_name(); Task::evaluation_samples_of();
//    CommandServices::data_source(); ImageSource reports extent(index),
//    sample_extent(augment) and crops_per_image() instead of one square
//    image_size().
constexpr int kApiVersion = 7;

// What a library was built with, as plain C data the host can read without
// calling into the library. Compared field by field; any difference is refused.
struct AbiRecord {
  int api_version;
  int torch_major, torch_minor, torch_patch;
  int cxx11_abi;      // _GLIBCXX_USE_CXX11_ABI: std::string's layout
  char compiler[32];  // family and major version, e.g. "gcc 12"
};

#if defined(__clang__)
#define STEGOLAB_COMPILER_TEXT "clang " STEGOLAB_STRINGIFY(__clang_major__)
#elif defined(__GNUC__)
#define STEGOLAB_COMPILER_TEXT "gcc " STEGOLAB_STRINGIFY(__GNUC__)
#else
#define STEGOLAB_COMPILER_TEXT "unknown"
#endif
#define STEGOLAB_STRINGIFY_INNER(x) #x
#define STEGOLAB_STRINGIFY(x) STEGOLAB_STRINGIFY_INNER(x)
#ifdef _GLIBCXX_USE_CXX11_ABI
#define STEGOLAB_CXX11_ABI _GLIBCXX_USE_CXX11_ABI
#else
#define STEGOLAB_CXX11_ABI -1
#endif

// The record of the code being compiled: the host's own and each plugin's.
#define STEGOLAB_ABI_RECORD                                                                 \
  ::stegolab::AbiRecord {                                                                   \
    ::stegolab::kApiVersion, TORCH_VERSION_MAJOR, TORCH_VERSION_MINOR, TORCH_VERSION_PATCH, \
        STEGOLAB_CXX11_ABI, STEGOLAB_COMPILER_TEXT                                          \
  }

// One documented parameter: the one declaration that gives its default, its
// documentation and its validation. The host rejects keys that are not
// documented, values whose JSON type differs from `type`, numbers outside
// [minimum, maximum] and strings outside `choices`, and fills in `default_value`.
struct ParamDoc {
  std::string name;
  std::string type;  // "int" | "number" | "bool" | "string" | "array" | "object" | "any"
  nlohmann::json default_value;  // null means the parameter is required
  std::string help;
  std::optional<double> minimum = std::nullopt;  // numbers: inclusive bounds
  std::optional<double> maximum = std::nullopt;
  std::vector<std::string> choices = {};  // strings: the allowed values (empty: any)
};

// A parameter the plugin had and no longer has, with what to write instead:
// the host refuses it with that advice (naming the JSON path where it knows
// it) rather than as an unknown name, so an old experiment file says how to
// migrate. Not listed among the parameters.
struct RetiredParam {
  std::string name;
  std::string instead;  // one line: "write task.params.X ... instead"
};

// A component section of the experiment file the task uses ("model"), the
// plugin kind it names ("model"), and whether the experiment may leave it out.
struct ComponentNeed {
  std::string section;
  std::string kind;
  bool optional = false;
  std::string help;                 // what the task does with it, for `stegolab plugins show`
  std::string default_plugin = "";  // used when the experiment leaves the section out
};

struct PluginInfo {
  int api_version = kApiVersion;
  std::string kind;  // "task" | "transform" | "model" | "loss" | "strategy" | "dataset" |
                     // "command" | "attack"; set by the macro
  std::string name;  // unique across all loaded plugins; equals the registration id
  std::string version;
  std::string summary;  // one line
  std::vector<ParamDoc> params;
  std::vector<RetiredParam> retired_params;
  // Tasks only: the sections besides data and strategy, the metrics, and the
  // validation metric that selects the best checkpoint by default.
  std::vector<ComponentNeed> components;
  std::vector<MetricDeclaration> metrics;
  std::string best_metric;
  // Tasks only: the rate-quality curves its reports show by default
  // (metric_declaration.hpp); recorded with each trial's plugins.
  std::vector<RateQualityPair> rate_quality;
};

class Transform;
class ImageSource;

// What the host knows when it builds a component: the components it depends
// on and the trial's settings. Components take what they need from here
// rather than from globals, so two trials can be built side by side.
struct BuildContext {
  torch::Device device = torch::kCPU;
  int64_t image_size = 0;  // training samples (crops), pixels per side (square)
  int64_t channels = 3;    // image channels
  uint64_t seed = 0;       // the trial's seed
  int64_t epochs = 1;      // planned epochs of the trial (losses ramp weights over them)
  // Set by the steganography task for the model it builds: how many secret
  // images each cover carries (StegoModel); 1 for every other component.
  int64_t secrets = 1;
  // Set by a task that builds a transform, for the components it builds
  // after it (models and losses); null when the experiment has none.
  std::shared_ptr<Transform> transform;
  // The trial's data source, for a task that refers to images by name
  // (ImageSource::image_name); null where a component is built without data
  // (a checkpoint restored for a command).
  std::shared_ptr<ImageSource> source;
  // The experiment file's folder, against which a parameter naming a file
  // resolves a relative path; "" for the working directory.
  std::string folder;
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
#define STEGOLAB_PLUGIN(Interface, Id, InfoFn, MakeFn)                                            \
  static const ::stegolab::AbiRecord stegolab_abi_record_##Id = STEGOLAB_ABI_RECORD;              \
  static ::stegolab::PluginInfo stegolab_info_fn_##Id() {                                         \
    return ::stegolab::detail::stamp<Interface>(InfoFn(), #Id);                                   \
  }                                                                                               \
  static std::shared_ptr<Interface> stegolab_make_fn_##Id(                                        \
      const ::stegolab::Params& params, const ::stegolab::BuildContext& context) {                \
    return MakeFn(params, context);                                                               \
  }                                                                                               \
  static std::shared_ptr<void> stegolab_erased_fn_##Id(const ::stegolab::Params& params,          \
                                                       const ::stegolab::BuildContext& context) { \
    return std::static_pointer_cast<void>(std::shared_ptr<Interface>(MakeFn(params, context)));   \
  }                                                                                               \
  BOOST_DLL_ALIAS_SECTIONED(stegolab_abi_record_##Id, stegolab_abi_##Id, stegolab)                \
  BOOST_DLL_ALIAS_SECTIONED(stegolab_erased_fn_##Id, stegolab_erased_##Id, stegolab)              \
  BOOST_DLL_ALIAS_SECTIONED(stegolab_info_fn_##Id, stegolab_info_##Id, stegolab)                  \
  BOOST_DLL_ALIAS_SECTIONED(stegolab_make_fn_##Id, stegolab_make_##Id, stegolab)
