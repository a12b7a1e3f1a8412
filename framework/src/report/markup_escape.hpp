// Text inside HTML and SVG markup (element content and quoted attributes).
#pragma once

#include <string>

namespace stegolab {

// <, >, &, " and ' as character references; everything else as it is (UTF-8 passes).
std::string markup_escape(const std::string& text);

}  // namespace stegolab
