// The --plugin-path option every command that loads plugins shares.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include <boost/program_options/options_description.hpp>

#include "plugin_host/plugin_registry.hpp"

namespace stegolab::cli {

void add_plugin_path_option(boost::program_options::options_description& options,
                            std::vector<std::string>* paths);

// Loads the host's plugins (see PluginRegistry::search_path). An explicit
// --plugin-path that does not exist is an error; files that fail to load are
// reported on `warnings` (one line each) and skipped, so one broken plugin
// does not stop an experiment that does not use it.
PluginRegistry load_plugins(const std::vector<std::string>& extra, std::ostream* warnings);

}  // namespace stegolab::cli
