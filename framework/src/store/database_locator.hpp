// Which results database a read command (results, report, plot) opens.
#pragma once

#include <filesystem>
#include <string>

namespace stegolab {

// `option` when given; otherwise the only results/*.db under `working_dir`.
// Throws StoreError asking for --db when there are none or several.
std::filesystem::path locate_database(const std::string& option,
                                      const std::filesystem::path& working_dir);

}  // namespace stegolab
