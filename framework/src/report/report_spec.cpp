#include "report/report_spec.hpp"

#include <algorithm>
#include <cmath>

#include "stegolab/params.hpp"

namespace stegolab {

namespace {

const std::vector<std::string> kKeys = {"name",   "rows", "cols",    "metrics", "split",  "decimals",
                                        "format", "out",  "caption", "label",   "rate",   "quality"};

struct EntryReader {
  const nlohmann::json& entry;
  const std::string& where;
  const std::string& path;

  [[noreturn]] void fail(const std::string& key, const std::string& what) const {
    throw ReportError(where + ": " + path + (key.empty() ? "" : "." + key) + ": " + what);
  }

  std::string text(const char* key, const std::string& fallback) const {
    if (!entry.contains(key)) return fallback;
    const auto& value = entry.at(key);
    if (!value.is_string()) fail(key, "expected a string, got " + value.dump());
    return value.get<std::string>();
  }

  // A list of strings; a single string is a list of one.
  std::vector<std::string> list(const char* key) const {
    if (!entry.contains(key)) return {};
    const auto& value = entry.at(key);
    if (value.is_string()) return {value.get<std::string>()};
    if (!value.is_array()) fail(key, "expected a list of strings, got " + value.dump());
    std::vector<std::string> result;
    for (size_t i = 0; i < value.size(); ++i) {
      if (!value[i].is_string() || value[i].get<std::string>().empty()) {
        fail(std::string(key) + "[" + std::to_string(i) + "]",
             "expected a non-empty string, got " + value[i].dump());
      }
      result.push_back(value[i].get<std::string>());
    }
    return result;
  }

  std::string choice(const char* key, const std::string& fallback,
                     const std::vector<std::string>& allowed) const {
    const std::string value = text(key, fallback);
    if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) return value;
    std::string listing;
    for (const auto& name : allowed) listing += (listing.empty() ? "\"" : ", \"") + name + "\"";
    fail(key, "expected one of " + listing + ", got \"" + value + "\"");
  }
};

}  // namespace

ReportSpec ReportSpec::from_json(const nlohmann::json& entry, const std::string& where,
                                 const std::string& json_path) {
  const EntryReader read{entry, where, json_path};
  if (!entry.is_object()) read.fail("", "expected a report object, got " + entry.dump());
  for (const auto& item : entry.items()) {
    if (std::find(kKeys.begin(), kKeys.end(), item.key()) != kKeys.end()) continue;
    const std::string suggestion = closest_name(item.key(), kKeys);
    std::string listing;
    for (const auto& key : kKeys) listing += (listing.empty() ? "" : ", ") + key;
    read.fail(item.key(), "unknown key" +
                              (suggestion.empty() ? "" : " (did you mean '" + suggestion + "'?)") +
                              "; expected one of: " + listing);
  }
  ReportSpec spec;
  read.text("name", "");
  spec.rows = read.list("rows");
  spec.cols = read.list("cols");
  spec.metrics = read.list("metrics");
  spec.split = *parse_split(read.choice("split", "test", {"train", "val", "test"}));
  spec.format = read.choice("format", spec.format, {"markdown", "latex", "csv"});
  spec.caption = read.text("caption", "");
  spec.label = read.text("label", "");
  read.text("out", "");
  spec.rate = read.text("rate", "");
  spec.quality = read.text("quality", "");
  if (spec.rate.empty() != spec.quality.empty()) {
    read.fail(spec.rate.empty() ? "rate" : "quality",
              "expected beside \"" + std::string(spec.rate.empty() ? "quality" : "rate") +
                  "\": a rate-quality report names both (e.g. \"rate\": \"bpp\", "
                  "\"quality\": \"psnr\")");
  }
  if (entry.contains("decimals")) {
    const auto& value = entry.at("decimals");
    const double decimals = value.is_number() ? value.get<double>() : -1.0;
    if (!(decimals >= 0 && decimals <= 12 && decimals == std::floor(decimals))) {
      read.fail("decimals", "expected an integer from 0 to 12, got " + value.dump());
    }
    spec.decimals = static_cast<int>(decimals);
  }
  if (spec.rows.empty()) read.fail("rows", "expected at least one sweep path");
  if (spec.metrics.empty()) read.fail("metrics", "expected at least one metric");
  return spec;
}

}  // namespace stegolab
