#include "line_style_params.hpp"

#include <algorithm>
#include <cctype>
#include <string>

#include "stegolab/errors.hpp"

namespace stegolab {

namespace {

std::array<uint8_t, 3> parse_colour(const Params& params, const std::string& key,
                                    const std::string& fallback) {
  const std::string text = params.get_string(key, fallback);
  bool valid = text.size() == 7 && text[0] == '#';
  for (size_t i = 1; valid && i < text.size(); ++i) valid = std::isxdigit(text[i]) != 0;
  if (!valid) {
    throw ParamError(params.owner() + ": '" + key + "' must be a colour #rrggbb, got '" + text +
                     "'");
  }
  std::array<uint8_t, 3> colour{};
  for (size_t c = 0; c < 3; ++c) {
    colour[c] = static_cast<uint8_t>(std::stoi(text.substr(1 + 2 * c, 2), nullptr, 16));
  }
  return colour;
}

}  // namespace

std::vector<ParamDoc> line_style_docs() {
  return {
      {"height", "int", 500, "image height in pixels", 8.0, 16384.0},
      {"width", "int", 800, "image width in pixels", 8.0, 16384.0},
      {"line_width", "number", 2.0, "width of the polyline in pixels (anti-aliased)", 0.1, 256.0},
      {"margin", "number", 4.0, "pixels kept free on every side", 0.0, 4096.0},
      {"colour", "string", "#1f77b4", "the line's colour, #rrggbb"},
      {"background", "string", "#ffffff", "the background's colour, #rrggbb"},
  };
}

LineStyle line_style_from(const Params& params) {
  LineStyle style;
  style.height = params.get_int_at_least("height", 500, 8);
  style.width = params.get_int_at_least("width", 800, 8);
  style.line_width = params.get_number("line_width", 2.0);
  style.margin = params.get_number("margin", 4.0);
  if (2.0 * style.margin + 2.0 >= static_cast<double>(std::min(style.height, style.width))) {
    throw ParamError(params.owner() + ": 'margin' " + std::to_string(style.margin) +
                     " leaves no room in a " + std::to_string(style.width) + "x" +
                     std::to_string(style.height) + " image");
  }
  style.colour = parse_colour(params, "colour", "#1f77b4");
  style.background = parse_colour(params, "background", "#ffffff");
  return style;
}

}  // namespace stegolab
