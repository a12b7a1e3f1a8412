// Dotted paths into an experiment's JSON ("train.optimizer.lr",
// "model.params.blocks"): the vocabulary of sweep axes and of error messages.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace stegolab {

std::vector<std::string> split_json_path(const std::string& path);

// The value at `path`, or nullptr when a part of the path is missing.
const nlohmann::json* find_json_path(const nlohmann::json& document, const std::string& path);

// Sets the value at `path`, creating the objects on the way.
void set_json_path(nlohmann::json& document, const std::string& path, nlohmann::json value);

// A value as it appears in a trial key or a table: strings without quotes,
// everything else as compact JSON.
std::string display_json_value(const nlohmann::json& value);

// `parent` + key as users read it: "train.lr", or sweep.axes["model.params.blocks"]
// when the key itself contains a dot.
std::string child_json_path(const std::string& parent, const std::string& key);
std::string indexed_json_path(const std::string& parent, size_t index);

}  // namespace stegolab
