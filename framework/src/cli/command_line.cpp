#include "cli/command_line.hpp"

#include <iostream>

#include <boost/program_options/parsers.hpp>
#include <boost/program_options/positional_options.hpp>

#include "stegolab/errors.hpp"

namespace stegolab::cli {

namespace po = boost::program_options;

bool parse_command_line(const std::string& command, const Arguments& args,
                        const po::options_description& options, po::variables_map& values,
                        std::vector<std::string>* positional) {
  po::options_description all;
  all.add(options);
  po::positional_options_description positions;
  if (positional) {
    all.add_options()("stegolab-positional", po::value(positional));
    positions.add("stegolab-positional", -1);
  }
  try {
    po::store(po::command_line_parser(args).options(all).positional(positions).run(), values);
    if (values.count("help")) {
      std::cout << options << "\n";
      return false;
    }
    po::notify(values);
  } catch (const po::error& error) {
    throw Error(std::string(error.what()) + " (see 'stegolab " + command + " --help')");
  }
  return true;
}

Split split_option(const std::string& command, const std::string& value) {
  const std::optional<Split> split = parse_split(value);
  if (!split) {
    throw Error(command + ": --split must be train, val or test, got '" + value + "'");
  }
  return *split;
}

}  // namespace stegolab::cli
