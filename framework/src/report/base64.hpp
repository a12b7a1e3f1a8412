// Base64 (RFC 4648, with padding): how the HTML report carries its pictures inside itself
// as data: URLs, so that the file stands alone.
#pragma once

#include <string>

namespace stegolab {

std::string base64_encode(const std::string& bytes);

}  // namespace stegolab
