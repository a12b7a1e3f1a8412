// One CSV field (RFC 4180), shared by the report tables and the exports.
#pragma once

#include <string>

namespace stegolab {

// `text` as is, or in double quotes (with inner quotes doubled) when it
// holds a comma, a quote or a line break.
std::string csv_field(const std::string& text);

}  // namespace stegolab
