// Expansion of a sweep into its trials' points.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sweep/sweep_definition.hpp"
#include "sweep/sweep_point.hpp"

namespace stegolab {

// The experiment's own value at a dotted path (after defaults); used to
// complete partial include points.
using BaseValueLookup = std::function<nlohmann::json(const std::string& path)>;

// The order is stable and documented in docs/experiments.md:
//   1. the Cartesian grid of the axes, axes sorted by path, the first axis
//      outermost, each axis's values in file order;
//   2. minus every point matching an exclude (a partial exclude matches all
//      points with those values);
//   3. plus the include points in file order, completed with the base value
//      for axes they do not name, unless such a point is already present
//      (includes are explicit, so excludes do not remove them);
//   4. all of that once per repeat: repeat 0 of every point first, so an
//      interrupted sweep already holds one complete comparison.
std::vector<SweepPoint> expand_sweep(const SweepDefinition& sweep, const BaseValueLookup& base_value);

}  // namespace stegolab
