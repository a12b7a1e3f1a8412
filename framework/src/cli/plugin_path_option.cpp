#include "cli/plugin_path_option.hpp"

#include <filesystem>
#include <ostream>

namespace stegolab::cli {

namespace po = boost::program_options;

void add_plugin_path_option(po::options_description& options, std::vector<std::string>* paths) {
  options.add_options()("plugin-path", po::value(paths)->composing(),
                        "extra plugin folder or file (repeatable; after STEGOLAB_PLUGIN_PATH)");
}

PluginRegistry load_plugins(const std::vector<std::string>& extra, std::ostream* warnings) {
  for (const auto& entry : extra) {
    if (!std::filesystem::exists(entry)) {
      throw PluginLoadError("--plugin-path " + entry + ": no such file or folder");
    }
  }
  PluginRegistry registry;
  registry.discover(PluginRegistry::search_path(extra));
  if (warnings) {
    for (const auto& problem : registry.problems()) *warnings << "warning: " << problem.message << "\n";
  }
  return registry;
}

}  // namespace stegolab::cli
