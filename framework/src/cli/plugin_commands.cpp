#include "cli/plugin_commands.hpp"

#include <iostream>
#include <optional>

#include "cli/host_services.hpp"
#include "cli/plugin_path_option.hpp"
#include "stegolab/command.hpp"

namespace stegolab::cli {

namespace {

// How a command is typed: data_pairs -> "data pairs".
std::string command_words(std::string name) {
  const auto cut = name.find('_');
  if (cut != std::string::npos) name[cut] = ' ';
  return name;
}

void print_command_help(const PluginInfo& info, std::ostream& out) {
  out << "stegolab " << command_words(info.name) << " [options]: " << info.summary << "\n";
  for (const ParamDoc& doc : info.params) {
    out << "  --" << doc.name << " " << doc.type
        << (doc.default_value.is_null() ? " (required)"
                                        : " (default " + doc.default_value.dump() + ")")
        << "\n      " << doc.help << "\n";
  }
  out << "  --plugin-path DIR\n      also load plugins from DIR (repeatable)\n";
}

const ParamDoc& option_doc(const PluginInfo& info, const std::string& name) {
  std::vector<std::string> names;
  for (const ParamDoc& doc : info.params) {
    if (doc.name == name) return doc;
    names.push_back(doc.name);
  }
  const std::string suggestion = closest_name(name, names);
  throw Error("unknown option '--" + name + "'" +
              (suggestion.empty() ? "" : " (did you mean '--" + suggestion + "'?)") +
              "; see 'stegolab " + command_words(info.name) + " --help'");
}

nlohmann::json option_value(const ParamDoc& doc, const std::string& text) {
  try {
    if (doc.type == "int") return std::stoll(text);
    if (doc.type == "number") return std::stod(text);
  } catch (const std::exception&) {
    throw Error("--" + doc.name + ": expected " + doc.type + ", got '" + text + "'");
  }
  if (doc.type == "bool") {
    if (text != "true" && text != "false") {
      throw Error("--" + doc.name + ": expected true or false, got '" + text + "'");
    }
    return text == "true";
  }
  return text;
}

// --name value, --name=value, and a bare --name for a bool option.
nlohmann::json parse_options(const PluginInfo& info, const Arguments& args) {
  nlohmann::json options = nlohmann::json::object();
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i].rfind("--", 0) != 0) {
      throw Error("unexpected argument '" + args[i] + "'; see 'stegolab " +
                  command_words(info.name) + " --help'");
    }
    std::string name = args[i].substr(2);
    std::optional<std::string> text;
    if (const auto equals = name.find('='); equals != std::string::npos) {
      text = name.substr(equals + 1);
      name.resize(equals);
    }
    const ParamDoc& doc = option_doc(info, name);
    if (!text && doc.type == "bool" && (i + 1 == args.size() || args[i + 1].rfind("--", 0) == 0)) {
      text = "true";
    }
    if (!text) {
      if (i + 1 == args.size()) throw Error("--" + name + ": a value is missing");
      text = args[++i];
    }
    options[name] = option_value(doc, *text);
  }
  return options;
}

}  // namespace

Arguments take_plugin_paths(const Arguments& args, std::vector<std::string>* paths) {
  Arguments rest;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--plugin-path" && i + 1 < args.size()) {
      paths->push_back(args[++i]);
    } else if (args[i].rfind("--plugin-path=", 0) == 0) {
      paths->push_back(args[i].substr(14));
    } else {
      rest.push_back(args[i]);
    }
  }
  return rest;
}

void list_plugin_commands(const PluginRegistry& registry, std::ostream& out) {
  for (const ComponentRecord* record : registry.components("command")) {
    const std::string name = command_words(record->info.name);
    out << "  " << name << std::string(name.size() < 12 ? 12 - name.size() : 1, ' ')
        << record->info.summary << " (" << record->file.filename().string() << ")\n";
  }
}

std::optional<int> run_plugin_command(const std::string& group, const Arguments& args) {
  std::vector<std::string> paths;
  Arguments rest = take_plugin_paths(args, &paths);
  const PluginRegistry registry = load_plugins(paths, nullptr);
  const auto command_named = [&registry](const std::string& wanted) -> const ComponentRecord* {
    for (const ComponentRecord* candidate : registry.components("command")) {
      if (candidate->info.name == wanted) return candidate;
    }
    return nullptr;
  };
  // `stegolab group word ...` runs the command named group_word.
  std::string name = group;
  const ComponentRecord* record = nullptr;
  if (!rest.empty() && rest.front().rfind("-", 0) != 0) {
    record = command_named(group + "_" + rest.front());
    if (record != nullptr) {
      name = record->info.name;
      rest.erase(rest.begin());
    }
  }
  if (record == nullptr) record = command_named(name);
  if (record == nullptr) return std::nullopt;
  if (std::find(rest.begin(), rest.end(), "--help") != rest.end() ||
      std::find(rest.begin(), rest.end(), "-h") != rest.end()) {
    print_command_help(record->info, std::cout);
    return 0;
  }
  nlohmann::json options;
  try {
    options = registry.resolve_params(*record, parse_options(record->info, rest));
  } catch (const ParamError& error) {
    // "command 'x': missing required parameter 'out'" reads as an option here.
    std::string message = error.what();
    for (const std::string from : {"parameter '", "parameters"}) {
      const auto at = message.find(from);
      if (at != std::string::npos)
        message.replace(at, from.size(), from == "parameters" ? "options" : "option '--");
    }
    throw Error(message);
  }
  const auto command = registry.build<Command>(name, options, BuildContext{});
  HostServices services(registry);
  return command->run(Params("command '" + name + "'", options), services);
}

}  // namespace stegolab::cli
