// Which results database, and which experiment in it, a read command
// (results, report, plot) uses.
#pragma once

#include <filesystem>
#include <string>

#include "store/result_store.hpp"

namespace stegolab {

// `option` when given; otherwise the only results/*.db under `working_dir`.
// Throws StoreError asking for --db when there are none or several.
std::filesystem::path locate_database(const std::string& option,
                                      const std::filesystem::path& working_dir);

// The experiment named by `option` (a name or an id); when `option` is
// empty, the only experiment of the database. Throws StoreError, naming
// `command` and asking for --experiment, when there are none or several.
ExperimentRecord choose_experiment(const ResultStore& store, const std::string& option,
                                   const std::string& command);

}  // namespace stegolab
