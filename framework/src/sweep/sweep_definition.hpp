// SweepDefinition: the `sweep` section of an experiment, structurally checked.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace stegolab {

struct SweepAxis {
  std::string path;                   // dotted path into the experiment, e.g. "train.batch_size"
  std::vector<nlohmann::json> values;  // in file order, no duplicates
};

struct SweepDefinition {
  std::vector<SweepAxis> axes;         // sorted by path (JSON objects have no order to keep)
  std::vector<nlohmann::json> include;  // objects {path: value}, possibly partial
  std::vector<nlohmann::json> exclude;  // objects {path: value}, possibly partial
  int64_t repeats = 1;

  // Checks the section's shape (known keys, non-empty axes without duplicate
  // values, include/exclude objects, exclude only on axis paths and values)
  // and throws SpecError("<file>: sweep...: ..."). Whether a path exists in
  // the experiment and whether a value suits it is the spec's business.
  static SweepDefinition parse(const nlohmann::json& sweep, const std::string& file);

  const SweepAxis* axis(const std::string& path) const;
};

}  // namespace stegolab
