// ExperimentSchema: every setting of an experiment file, its type, allowed
// values and default. One table serves validation, default filling, the
// "did you mean" suggestions and the check of sweep paths.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace stegolab {

struct FieldRule {
  std::string path;      // dotted, e.g. "train.optimizer.lr"
  std::string expected;  // for messages: "a positive number"
  std::function<bool(const nlohmann::json&)> accepts;
  nlohmann::json default_value;  // null: the key is required
  bool sweepable = true;
};

// A component section ("model") and the plugin kind it names ("model");
// task sections are used only where the experiment's task declares them.
struct ComponentSection {
  const char* section;
  const char* kind;
  bool task_section;
};

// The plugin kind of component section `section` ("model" -> "model").
const char* section_kind(const std::string& section);

// The splits that may name their own data source (data.train, data.val, data.test).
constexpr const char* kSplitsWithOwnSource[] = {"train", "val", "test"};

// Whether `document`'s data.<split> names a source of its own (a plugin or
// parameters) instead of taking a fraction of `data`'s images.
bool has_own_source(const nlohmann::json& document, const std::string& split);

class ExperimentSchema {
 public:
  static const ExperimentSchema& get();

  static const std::vector<ComponentSection>& components();

  const FieldRule* rule(const std::string& path) const;
  // Leaf settings a sweep may vary (plugin parameters are checked separately).
  std::vector<std::string> sweepable_paths() const;

  // Checks the document (unknown keys at every level with a suggestion, JSON
  // types, values) and returns it with every default filled in. The document
  // (`file` names it in messages) must be a JSON object.
  nlohmann::json complete(const nlohmann::json& document, const std::string& file) const;
  // Throws SpecError("<file>: <label>: expected ..., got ...") when `value`
  // does not suit `rule`.
  void check_value(const FieldRule& rule, const nlohmann::json& value, const std::string& file,
                   const std::string& label) const;
  // Checks between settings (the data split sums to at most 1) of a complete
  // document; `context` is appended to messages (the trial, for sweeps).
  void check_consistency(const nlohmann::json& document, const std::string& file,
                         const std::string& context) const;

 private:
  ExperimentSchema();
  std::vector<FieldRule> rules_;
  std::vector<std::string> sections_;  // object paths whose keys are checked ("" is the root)
};

}  // namespace stegolab
