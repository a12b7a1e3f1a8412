// Parsing of one subcommand's arguments, the same way for every command.
#pragma once

#include <string>
#include <vector>

#include <boost/program_options/options_description.hpp>
#include <boost/program_options/variables_map.hpp>

#include "cli/commands.hpp"
#include "store/result_records.hpp"

namespace stegolab::cli {

// Parses `args` against `options` (what --help shows). Positional arguments
// are collected in order into `positional`; when it is null, none are
// accepted. A malformed option becomes one Error line naming the command.
// Returns false when --help was given: the help is printed then, and
// required options are not checked.
bool parse_command_line(const std::string& command, const Arguments& args,
                        const boost::program_options::options_description& options,
                        boost::program_options::variables_map& values,
                        std::vector<std::string>* positional = nullptr);

// The value of a --split option; anything but train, val or test is one
// Error line naming the command.
Split split_option(const std::string& command, const std::string& value);

}  // namespace stegolab::cli
