// The `stegolab` subcommands that plugins contribute (a task's commands
// for its checkpoints): listed in `stegolab --help`, their options parsed against
// the command's documented parameters, run with the host's services.
#pragma once

#include <ostream>
#include <string>

#include "cli/commands.hpp"
#include "plugin_host/plugin_registry.hpp"

namespace stegolab::cli {

// `args` with every --plugin-path option taken out into `paths`.
Arguments take_plugin_paths(const Arguments& args, std::vector<std::string>* paths);

// The registry's command plugins, one line each ("  name        summary").
void list_plugin_commands(const PluginRegistry& registry, std::ostream& out);

// Runs command plugin `name` with `args`; nullopt when no plugin provides it.
std::optional<int> run_plugin_command(const std::string& name, const Arguments& args);

}  // namespace stegolab::cli
