#include "spec/experiment_schema.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "device/device_name.hpp"
#include "spec/spec_error.hpp"
#include "spec/trial_spec.hpp"
#include "stegolab/params.hpp"
#include "sweep/json_path.hpp"

namespace stegolab {

namespace {

using nlohmann::json;

// Integers the settings can hold exactly (int64 and double alike): 1e20 is
// integral as a double but would overflow when read as a count.
constexpr double kLargestInteger = 9007199254740992.0;  // 2^53

bool is_integral(const json& value) {
  if (value.is_number_integer()) return std::abs(value.get<double>()) <= kLargestInteger;
  // 4.0 is an integer a user may well write; 4.5 is not.
  return value.is_number_float() && std::isfinite(value.get<double>()) &&
         std::floor(value.get<double>()) == value.get<double>() &&
         std::abs(value.get<double>()) <= kLargestInteger;
}

std::string number_text(double value) {
  std::ostringstream text;
  text << value;
  return text.str();
}

FieldRule int_at_least(std::string path, int64_t minimum, json fallback) {
  std::string expected = minimum == 1   ? "a positive integer"
                         : minimum == 0 ? "a non-negative integer"
                                        : "an integer >= " + std::to_string(minimum);
  return {std::move(path), expected,
          [minimum](const json& v) { return is_integral(v) && v.get<double>() >= minimum; },
          std::move(fallback)};
}

// A number in the interval (or half-line) given; `open_low` excludes the minimum.
FieldRule number_in(std::string path, double low, bool open_low, double high, bool open_high,
                    json fallback) {
  std::string expected;
  if (std::isinf(high)) {
    expected = low == 0 ? (open_low ? "a positive number" : "a non-negative number")
                        : "a number " + std::string(open_low ? "> " : ">= ") + number_text(low);
  } else {
    expected = "a number in " + std::string(open_low ? "(" : "[") + number_text(low) + ", " +
               number_text(high) + (open_high ? ")" : "]");
  }
  return {std::move(path), expected,
          [=](const json& v) {
            if (!v.is_number()) return false;
            const double x = v.get<double>();
            return (open_low ? x > low : x >= low) && (open_high ? x < high : x <= high);
          },
          std::move(fallback)};
}

FieldRule choice(std::string path, std::vector<std::string> allowed, json fallback) {
  std::string listing;
  for (const auto& option : allowed) listing += (listing.empty() ? "\"" : ", \"") + option + "\"";
  return {std::move(path), "one of " + listing,
          [allowed](const json& v) {
            return v.is_string() &&
                   std::find(allowed.begin(), allowed.end(), v.get<std::string>()) != allowed.end();
          },
          std::move(fallback)};
}

FieldRule boolean(std::string path, bool fallback) {
  return {std::move(path), "true or false", [](const json& v) { return v.is_boolean(); }, fallback};
}

FieldRule plugin_name(const std::string& section, const std::string& kind, json fallback) {
  return {section + ".plugin", "the name of a " + kind + " plugin",
          [](const json& v) { return v.is_string() && !v.get<std::string>().empty(); },
          std::move(fallback)};
}

FieldRule object(std::string path, bool sweepable = false) {
  return {std::move(path), "an object", [](const json& v) { return v.is_object(); }, json::object(),
          sweepable};
}

}  // namespace

const std::vector<ComponentSection>& ExperimentSchema::components() {
  // transform, model and loss are the sections a task may declare
  // (PluginInfo::components); the spec checks them against the task's needs.
  static const std::vector<ComponentSection> list = {
      {"data", "dataset", false}, {"task", "task", false}, {"transform", "transform", true},
      {"model", "model", true},   {"loss", "loss", true},  {"strategy", "strategy", false}};
  return list;
}

bool has_own_source(const json& document, const std::string& split) {
  const json* own = find_json_path(document, "data." + split);
  if (own == nullptr || !own->is_object()) return false;
  const json plugin = own->value("plugin", json(""));
  const json params = own->value("params", json::object());
  return (plugin.is_string() && !plugin.get<std::string>().empty()) ||
         (params.is_object() && !params.empty());
}

const char* section_kind(const std::string& section) {
  for (const auto& component : ExperimentSchema::components()) {
    if (section == component.section) return component.kind;
  }
  return "";
}

const ExperimentSchema& ExperimentSchema::get() {
  static const ExperimentSchema schema;
  return schema;
}

ExperimentSchema::ExperimentSchema() {
  // Defaults come from the typed structs, so the file format and the code
  // cannot disagree about them.
  const DataSplit split;
  const TrainSettings train;
  const EvalSettings eval;
  const double inf = std::numeric_limits<double>::infinity();

  rules_.push_back({"name",
                    "a name of letters, digits, '.', '_' or '-' (it names the database file)",
                    [](const json& v) {
                      if (!v.is_string()) return false;
                      const auto text = v.get<std::string>();
                      return !text.empty() && text[0] != '.' &&
                             std::all_of(text.begin(), text.end(), [](char c) {
                               return std::isalnum(static_cast<unsigned char>(c)) || c == '.' ||
                                      c == '_' || c == '-';
                             });
                    },
                    json(), false});
  rules_.push_back(
      {"description", "a string", [](const json& v) { return v.is_string(); }, "", false});

  rules_.push_back(plugin_name("data", "dataset", json()));
  rules_.push_back(object("data.params"));
  rules_.push_back(number_in("data.split.train", 0, true, 1, false, split.train));
  rules_.push_back(number_in("data.split.val", 0, false, 1, false, split.val));
  rules_.push_back(number_in("data.split.test", 0, false, 1, false, split.test));
  // A split's own source: "" and {} leave the split a fraction of `data`.
  for (const char* name : kSplitsWithOwnSource) {
    const std::string prefix = std::string("data.") + name;
    rules_.push_back({prefix + ".plugin", "the name of a dataset plugin",
                      [](const json& v) { return v.is_string(); }, "", false});
    rules_.push_back({prefix + ".params", "an object", [](const json& v) { return v.is_object(); },
                      json::object(), false});
  }
  for (const auto& component : components()) {
    const std::string section = component.section;
    if (section == "data") continue;
    if (component.task_section) {
      // "" until the spec applies the task's needs (its defaults, its required sections).
      rules_.push_back({section + ".plugin",
                        "the name of a " + std::string(component.kind) + " plugin",
                        [](const json& v) { return v.is_string(); }, ""});
    } else if (section == "task") {
      // One task per experiment: its metrics define the results database.
      FieldRule rule = plugin_name(section, component.kind, "steganography");
      rule.sweepable = false;
      rules_.push_back(rule);
    } else {
      rules_.push_back(plugin_name(section, component.kind, "standard"));
    }
    rules_.push_back(object(section + ".params"));
  }

  rules_.push_back(int_at_least("train.epochs", 1, train.epochs));
  rules_.push_back({"train.batch_size", "a positive integer or \"auto\"",
                    [](const json& v) {
                      return (v.is_string() && v.get<std::string>() == "auto") ||
                             (is_integral(v) && v.get<double>() >= 1);
                    },
                    train.batch_size});
  rules_.push_back(int_at_least("train.steps_per_epoch", 0, train.steps_per_epoch));
  rules_.push_back(choice("train.optimizer.name", {"adam", "adamw"}, train.optimizer.name));
  rules_.push_back(number_in("train.optimizer.lr", 0, true, inf, false, train.optimizer.lr));
  rules_.push_back(number_in("train.optimizer.beta1", 0, false, 1, true, train.optimizer.beta1));
  rules_.push_back(number_in("train.optimizer.beta2", 0, false, 1, true, train.optimizer.beta2));
  rules_.push_back(number_in("train.optimizer.eps", 0, true, inf, false, train.optimizer.eps));
  rules_.push_back(number_in("train.optimizer.weight_decay", 0, false, inf, false,
                             train.optimizer.weight_decay));
  rules_.push_back(
      choice("train.schedule.name", {"constant", "cosine", "step"}, train.schedule.name));
  rules_.push_back(int_at_least("train.schedule.warmup_steps", 0, train.schedule.warmup_steps));
  rules_.push_back(
      number_in("train.schedule.min_factor", 0, false, 1, false, train.schedule.min_factor));
  rules_.push_back(int_at_least("train.schedule.step_size", 1, train.schedule.step_size));
  rules_.push_back(number_in("train.schedule.gamma", 0, true, inf, false, train.schedule.gamma));
  rules_.push_back({"train.seed", "a non-negative integer",
                    [](const json& v) {
                      return v.is_number_unsigned() || (is_integral(v) && v.get<double>() >= 0);
                    },
                    train.seed});
  rules_.push_back(
      {"train.device", "\"auto\", \"cpu\", \"cuda\" or \"cuda:N\"",
       [](const json& v) { return v.is_string() && is_device_name(v.get<std::string>()); },
       train.device});
  rules_.push_back(int_at_least("train.threads", 0, train.threads));
  rules_.push_back(boolean("train.deterministic", train.deterministic));
  // "" until the spec applies the task's default; checked against the task's metrics there.
  rules_.push_back({"train.best_metric", "the name of one of the task's validation metrics",
                    [](const json& v) { return v.is_string(); }, ""});
  rules_.push_back(int_at_least("train.max_nonfinite_steps", 1, train.max_nonfinite_steps));
  rules_.push_back(int_at_least("train.max_restores", 0, train.max_restores));
  rules_.push_back(
      number_in("train.restore_lr_factor", 0, true, 1, false, train.restore_lr_factor));
  rules_.push_back(number_in("train.explode_factor", 0, false, inf, false, train.explode_factor));

  rules_.push_back(int_at_least("eval.every", 1, eval.every));
  rules_.push_back(int_at_least("eval.batch_size", 1, eval.batch_size));
  rules_.push_back(int_at_least("eval.gallery", 0, eval.gallery));

  rules_.push_back(object("sweep"));
  // The report module owns the entries' format; the spec passes them through.
  rules_.push_back({"reports", "an array of report objects",
                    [](const json& v) {
                      return v.is_array() && std::all_of(v.begin(), v.end(), [](const json& r) {
                               return r.is_object();
                             });
                    },
                    json::array(), false});

  sections_ = {
      "",         "data",  "data.split",      "data.train",     "data.val",  "data.test",
      "task",     "transform", "model",         "loss",           "strategy",  "train",
      "train.optimizer", "train.schedule", "eval"};
}

const FieldRule* ExperimentSchema::rule(const std::string& path) const {
  for (const auto& r : rules_) {
    if (r.path == path) return &r;
  }
  return nullptr;
}

std::vector<std::string> ExperimentSchema::sweepable_paths() const {
  std::vector<std::string> paths;
  for (const auto& r : rules_) {
    if (r.sweepable) paths.push_back(r.path);
  }
  return paths;
}

json ExperimentSchema::complete(const json& document, const std::string& file) const {
  json result = document;
  for (const auto& section : sections_) {
    json* node = &result;
    if (!section.empty()) {
      node = &result[section.substr(0, section.find('.'))];
      if (section.find('.') != std::string::npos)
        node = &(*node)[section.substr(section.find('.') + 1)];
    }
    if (node->is_null() && !section.empty()) *node = json::object();
    if (!node->is_object()) {
      fail_spec(file, section.empty() ? "(top level)" : section,
                "expected an object, got " + node->dump());
    }
    const std::string prefix = section.empty() ? "" : section + ".";
    std::vector<std::string> known;
    for (const auto& r : rules_) {
      if (r.path.compare(0, prefix.size(), prefix) != 0) continue;
      const std::string rest = r.path.substr(prefix.size());
      const std::string child = rest.substr(0, rest.find('.'));
      if (std::find(known.begin(), known.end(), child) == known.end()) known.push_back(child);
    }
    for (const auto& item : node->items()) {
      if (std::find(known.begin(), known.end(), item.key()) != known.end()) continue;
      const std::string suggestion = closest_name(item.key(), known);
      std::string listing;
      for (const auto& name : known) listing += (listing.empty() ? "" : ", ") + name;
      fail_spec(file, child_json_path(section, item.key()),
                "unknown key" +
                    (suggestion.empty() ? "" : " (did you mean '" + suggestion + "'?)") +
                    "; expected one of: " + listing);
    }
  }
  for (const auto& r : rules_) {
    const json* value = find_json_path(result, r.path);
    if (value && !value->is_null()) {
      check_value(r, *value, file, r.path);
    } else if (r.default_value.is_null()) {
      fail_spec(file, r.path, "expected " + r.expected + ", but the key is missing");
    } else {
      set_json_path(result, r.path, r.default_value);
    }
  }
  return result;
}

void ExperimentSchema::check_value(const FieldRule& rule, const json& value,
                                   const std::string& file, const std::string& label) const {
  if (!rule.accepts(value))
    fail_spec(file, label, "expected " + rule.expected + ", got " + value.dump());
}

void ExperimentSchema::check_consistency(const json& document, const std::string& file,
                                         const std::string& context) const {
  const json& split = document.at("data").at("split");
  // A split with its own source takes none of `data`'s images.
  auto fraction = [&](const char* name) {
    return has_own_source(document, name) ? 0.0 : split.at(name).get<double>();
  };
  const double train = fraction("train");
  const double val = fraction("val");
  const double test = fraction("test");
  // A little slack: 0.7 + 0.2 + 0.1 is 1.0000000000000002 in binary.
  if (train + val + test > 1.0 + 1e-9) {
    fail_spec(file, "data.split",
              "expected fractions summing to at most 1, got " + number_text(train) + " + " +
                  number_text(val) + " + " + number_text(test) + " = " +
                  number_text(train + val + test) + context);
  }
}

}  // namespace stegolab
