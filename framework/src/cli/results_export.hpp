// `stegolab results export`: every value of a results database as CSV or
// JSON rows, long (one row per value) or wide (one row per trial).
#pragma once

#include <ostream>
#include <string>

#include "store/result_store.hpp"

namespace stegolab::cli {

// format: "csv" | "json"; layout: "long" | "wide"; experiment: a name or id,
// or "" for all. Throws Error for another format or layout.
int export_results(const ResultStore& store, const std::string& format, const std::string& layout,
                   const std::string& experiment, std::ostream& out);

}  // namespace stegolab::cli
