#include "plugin_host/plugin_registry.hpp"
#include "plugin_host/param_types.hpp"
#include "plugin_host/retired_params.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <sstream>

#include <boost/dll/library_info.hpp>
#include <boost/dll/shared_library.hpp>

namespace stegolab {

namespace {

namespace fs = std::filesystem;

const char* const kKinds[] = {"task",    "transform", "model",  "loss",
                              "strategy", "dataset",  "command", "attack"};
const std::string kAbiPrefix = "stegolab_abi_";
// Libraries built before API 3 export an int() API function instead of the
// record; its signature never changed, so calling it is safe.
const std::string kLegacyApiPrefix = "stegolab_api_";

std::string torch_version_text(const AbiRecord& record) {
  return std::to_string(record.torch_major) + "." + std::to_string(record.torch_minor) + "." +
         std::to_string(record.torch_patch);
}

std::string compiler_text(const AbiRecord& record) {
  return std::string(record.compiler, strnlen(record.compiler, sizeof(record.compiler)));
}

// "" when a library built with `theirs` can be called by this host; else
// what differs, naming both sides.
std::string abi_difference(const AbiRecord& theirs) {
  static const AbiRecord ours = STEGOLAB_ABI_RECORD;
  if (theirs.api_version != ours.api_version) {
    return "was built for SDK API version " + std::to_string(theirs.api_version) +
           ", this stegolab has API version " + std::to_string(ours.api_version);
  }
  if (theirs.torch_major != ours.torch_major || theirs.torch_minor != ours.torch_minor ||
      theirs.torch_patch != ours.torch_patch) {
    return "was built against LibTorch " + torch_version_text(theirs) +
           ", this stegolab uses LibTorch " + torch_version_text(ours);
  }
  if (theirs.cxx11_abi != ours.cxx11_abi) {
    return "was built with _GLIBCXX_USE_CXX11_ABI=" + std::to_string(theirs.cxx11_abi) +
           ", this stegolab with _GLIBCXX_USE_CXX11_ABI=" + std::to_string(ours.cxx11_abi);
  }
  if (compiler_text(theirs) != compiler_text(ours)) {
    return "was built with " + compiler_text(theirs) + ", this stegolab with " +
           compiler_text(ours);
  }
  return "";
}

// Libraries stay loaded until the process exits (see the header). They are
// leaked on purpose: destroying them at static-destruction time would unmap
// code that still-living objects may call.
std::vector<boost::dll::shared_library*>& loaded_libraries() {
  static auto* libraries = new std::vector<boost::dll::shared_library*>();
  return *libraries;
}

fs::path executable_dir() {
  std::error_code error;
  const fs::path self = fs::read_symlink("/proc/self/exe", error);
  return error ? fs::current_path() : self.parent_path();
}

std::vector<std::string> split_path_list(const std::string& list) {
  std::vector<std::string> parts;
  std::stringstream stream(list);
  std::string part;
  while (std::getline(stream, part, ':')) {
    if (!part.empty()) parts.push_back(part);
  }
  return parts;
}

std::string bound_text(double value) {
  std::ostringstream text;
  text << value;
  return text.str();
}

// The bounds and choices a ParamDoc declares; the JSON type is already checked.
void check_declared_bounds(const std::string& owner, const ParamDoc& doc,
                           const nlohmann::json& value) {
  if (value.is_number() && (doc.minimum || doc.maximum)) {
    const double x = value.get<double>();
    if ((doc.minimum && !(x >= *doc.minimum)) || (doc.maximum && !(x <= *doc.maximum))) {
      const std::string range =
          doc.minimum && doc.maximum
              ? "in [" + bound_text(*doc.minimum) + ", " + bound_text(*doc.maximum) + "]"
          : doc.minimum ? "at least " + bound_text(*doc.minimum)
                        : "at most " + bound_text(*doc.maximum);
      throw ParamError(owner + ": parameter '" + doc.name + "' must be " + range + ", got " +
                       value.dump());
    }
  }
  if (value.is_string() && !doc.choices.empty() &&
      std::find(doc.choices.begin(), doc.choices.end(), value.get<std::string>()) ==
          doc.choices.end()) {
    std::string listing;
    for (const auto& choice : doc.choices) listing += (listing.empty() ? "" : ", ") + choice;
    // A parameter that takes a number or a word says both.
    const std::string numbers =
        doc.type == "any" && doc.minimum && doc.maximum
            ? "a number in [" + bound_text(*doc.minimum) + ", " + bound_text(*doc.maximum) +
                  "] or "
            : "";
    throw ParamError(owner + ": parameter '" + doc.name + "' must be " + numbers + "one of " +
                     listing + ", got " + value.dump());
  }
}

}  // namespace

std::vector<fs::path> PluginRegistry::search_path(const std::vector<std::string>& extra) {
  const fs::path bin = executable_dir();
  std::vector<fs::path> path = {bin.parent_path() / "plugins",
                                bin.parent_path() / "lib" / "stegolab" / "plugins"};
  if (const char* env = std::getenv("STEGOLAB_PLUGIN_PATH")) {
    for (const auto& part : split_path_list(env)) path.emplace_back(part);
  }
  for (const auto& entry : extra) path.emplace_back(entry);
  return path;
}

void PluginRegistry::discover(const std::vector<fs::path>& path) {
  for (const auto& entry : path) {
    std::error_code error;
    if (fs::is_directory(entry, error)) {
      std::vector<fs::path> files;
      for (const auto& item : fs::directory_iterator(entry, error)) {
        if (item.path().extension() == ".so" && !fs::is_directory(item.path())) {
          files.push_back(item.path());
        }
      }
      std::sort(files.begin(), files.end());
      for (const auto& file : files) {
        try {
          load(file);
        } catch (const PluginLoadError& problem) {
          problems_.push_back({file, problem.what()});
        }
      }
    } else if (fs::exists(entry, error)) {
      try {
        load(entry);
      } catch (const PluginLoadError& problem) {
        problems_.push_back({entry, problem.what()});
      }
    }
    // A folder of the default path that does not exist (e.g. no install) is not a problem.
  }
}

namespace {

// The component ids a library exports, read from its ELF section before
// dlopen: a file that is not a shared object is refused without running any
// of its code.
struct ExportedIds {
  std::vector<std::string> current;  // API 3 and later: an AbiRecord each
  std::vector<std::string> legacy;   // API 2 and before: an int() API function each
};

ExportedIds exported_ids(const fs::path& file, const std::string& where) {
  std::vector<std::string> symbols;
  try {
    boost::dll::library_info info(file, /*throw_if_not_native_format=*/true);
    symbols = info.symbols("stegolab");
  } catch (const std::exception&) {
    throw PluginLoadError(where + ": not a shared library (corrupt or another format)");
  }
  ExportedIds ids;
  for (const auto& symbol : symbols) {
    if (symbol.rfind(kAbiPrefix, 0) == 0) ids.current.push_back(symbol.substr(kAbiPrefix.size()));
    if (symbol.rfind(kLegacyApiPrefix, 0) == 0) {
      ids.legacy.push_back(symbol.substr(kLegacyApiPrefix.size()));
    }
  }
  if (ids.current.empty() && ids.legacy.empty()) {
    throw PluginLoadError(where + ": no stegolab symbols (not built with STEGOLAB_PLUGIN?)");
  }
  return ids;
}

boost::dll::shared_library& open_library(const fs::path& file, const std::string& where) {
  auto* library = new boost::dll::shared_library();
  try {
    library->load(file, boost::dll::load_mode::rtld_lazy | boost::dll::load_mode::rtld_local);
  } catch (const std::exception& failure) {
    delete library;
    throw PluginLoadError(where + ": cannot be loaded: " + failure.what());
  }
  loaded_libraries().push_back(library);  // never unloaded, even if refused afterwards
  return *library;
}

// One component, its ABI record checked before any of its functions is called.
std::unique_ptr<ComponentRecord> component_record(const boost::dll::shared_library& library,
                                                  const std::string& id,
                                                  const std::string& where) {
  const std::string difference =
      abi_difference(library.get_alias<const AbiRecord>(kAbiPrefix + id));
  if (!difference.empty()) {
    throw PluginLoadError(where + ": component '" + id + "' " + difference +
                          "; rebuild it against this SDK");
  }
  auto record = std::make_unique<ComponentRecord>();
  try {
    record->info = library.get_alias<PluginInfo()>("stegolab_info_" + id)();
    record->factory = library.get<const void*>("stegolab_make_" + id);
    record->erased_factory = library.get<const void*>("stegolab_erased_" + id);
  } catch (const std::exception& failure) {
    throw PluginLoadError(where + ": component '" + id + "' is incomplete: " + failure.what());
  }
  const auto& kind = record->info.kind;
  if (std::find(std::begin(kKinds), std::end(kKinds), kind) == std::end(kKinds)) {
    throw PluginLoadError(where + ": component '" + id + "' has unknown kind '" + kind + "'");
  }
  return record;
}

}  // namespace

void PluginRegistry::load(const fs::path& file) {
  std::error_code error;
  const fs::path canonical = fs::weakly_canonical(file, error);
  const fs::path key = error ? file : canonical;
  if (std::find(loaded_files_.begin(), loaded_files_.end(), key) != loaded_files_.end()) return;
  const std::string where = "plugin " + file.string();
  if (!fs::exists(file, error)) throw PluginLoadError(where + ": no such file");
  if (!fs::is_regular_file(file, error)) throw PluginLoadError(where + ": not a regular file");
  const ExportedIds ids = exported_ids(file, where);
  const boost::dll::shared_library& library = open_library(file, where);
  for (const auto& id : ids.legacy) {
    const int api = library.get_alias<int()>(kLegacyApiPrefix + id)();
    throw PluginLoadError(where + ": component '" + id + "' was built for SDK API version " +
                          std::to_string(api) + ", this stegolab has API version " +
                          std::to_string(kApiVersion) + "; rebuild it against this SDK");
  }
  // Check every component before registering any, so a library is all in or all out.
  std::vector<std::unique_ptr<ComponentRecord>> records;
  for (const auto& id : ids.current) {
    auto record = component_record(library, id, where);
    record->file = key;
    for (const auto& existing : components_) {
      if (existing->info.name == record->info.name) {
        throw PluginLoadError(where + ": component '" + record->info.name +
                              "' is already provided by " + existing->file.string());
      }
    }
    records.push_back(std::move(record));
  }
  for (auto& record : records) components_.push_back(std::move(record));
  loaded_files_.push_back(key);
}

std::vector<const ComponentRecord*> PluginRegistry::components(const std::string& kind) const {
  std::vector<const ComponentRecord*> selected;
  for (const auto& component : components_) {
    if (kind.empty() || component->info.kind == kind) selected.push_back(component.get());
  }
  std::sort(selected.begin(), selected.end(), [](const auto* a, const auto* b) {
    return std::tie(a->info.kind, a->info.name) < std::tie(b->info.kind, b->info.name);
  });
  return selected;
}

const ComponentRecord* PluginRegistry::find_any_kind(const std::string& name) const {
  for (const auto& component : components_) {
    if (component->info.name == name) return component.get();
  }
  return nullptr;
}

const ComponentRecord& PluginRegistry::find(const std::string& kind,
                                            const std::string& name) const {
  std::vector<std::string> known;
  for (const auto* component : components(kind)) {
    if (component->info.name == name) return *component;
    known.push_back(component->info.name);
  }
  std::string message = "unknown " + kind + " plugin '" + name + "'";
  if (const auto* other = find_any_kind(name)) {
    message += " ('" + name + "' is a " + other->info.kind + ")";
  } else {
    const std::string suggestion = closest_name(name, known);
    if (!suggestion.empty()) message += " (did you mean '" + suggestion + "'?)";
  }
  std::string listing;
  for (const auto& item : known) listing += (listing.empty() ? "" : ", ") + item;
  message += "; known " + kind + " plugins: " + (listing.empty() ? std::string("none") : listing);
  if (!problems_.empty()) {
    message += " (" + std::to_string(problems_.size()) +
               " plugin file(s) failed to load: see 'stegolab plugins')";
  }
  throw PluginLoadError(message);
}

nlohmann::json PluginRegistry::resolve_params(const ComponentRecord& component,
                                              const nlohmann::json& params) const {
  const std::string owner = component.info.kind + " '" + component.info.name + "'";
  if (!params.is_null() && !params.is_object()) {
    throw ParamError(owner + ": parameters must be a JSON object, got " + params.dump());
  }
  nlohmann::json resolved = params.is_null() ? nlohmann::json::object() : params;
  std::vector<std::string> known;
  for (const auto& doc : component.info.params) known.push_back(doc.name);
  if (const RetiredParam* retired = first_retired_param(component.info, resolved))
    throw ParamError(retired_param_message(component.info, *retired));
  Params(owner, resolved).reject_unknown(known);
  for (const auto& doc : component.info.params) {
    if (resolved.contains(doc.name)) {
      const auto& value = resolved.at(doc.name);
      if (!json_matches_type(value, doc.type)) {
        throw ParamError(owner + ": parameter '" + doc.name + "' must be " +
                         describe_type(doc.type) + ", got " + value.dump());
      }
      check_declared_bounds(owner, doc, value);
    } else if (doc.default_value.is_null()) {
      throw ParamError(owner + ": missing required parameter '" + doc.name + "' (" +
                       describe_type(doc.type) + "): " + doc.help);
    } else {
      resolved[doc.name] = doc.default_value;
    }
  }
  return resolved;
}

}  // namespace stegolab

namespace stegolab {

std::shared_ptr<void> PluginRegistry::build_erased(const std::string& kind, const std::string& name,
                                                   const nlohmann::json& params,
                                                   const BuildContext& context) const {
  const ComponentRecord& component = find(kind, name);
  const std::string owner = kind + " '" + name + "'";
  const Params resolved(owner, resolve_params(component, params));
  using Factory = std::shared_ptr<void> (*)(const Params&, const BuildContext&);
  auto factory = reinterpret_cast<Factory>(const_cast<void*>(component.erased_factory));
  std::shared_ptr<void> built;
  try {
    built = factory(resolved, context);
  } catch (const ParamError&) {
    throw;
  } catch (const std::exception& error) {
    throw PluginLoadError(owner + " (" + component.file.string() +
                          ") failed to build: " + error.what());
  }
  if (!built) {
    throw PluginLoadError(owner + " (" + component.file.string() +
                          ") returned nothing from its factory");
  }
  return built;
}

}  // namespace stegolab
