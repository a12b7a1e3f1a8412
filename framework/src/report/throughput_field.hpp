// The throughput table's fields by name: one list and one accessor for the
// report tables, the plots and the exports.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "trainer/trial_outcome.hpp"

namespace stegolab {

// The typed fields, in the order of the throughput table.
const std::vector<std::string>& throughput_field_names();

// "images_per_s" (the per-epoch metric's name, which users naturally write)
// means the trial's train_images_per_s; every other name is returned as is.
std::string canonical_throughput_field(const std::string& name);

// A typed field or its alias.
bool is_throughput_field(const std::string& name);

// The value of a typed field (or alias), or of a numeric key of `extra`;
// nothing when the trial has no such field. A typed field that was not
// measured is NaN.
std::optional<double> throughput_value(const Throughput& throughput, const std::string& name);

}  // namespace stegolab
