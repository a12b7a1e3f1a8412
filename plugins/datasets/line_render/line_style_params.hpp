// The drawing parameters of a line chart, shared by the line_render dataset
// and its benchmark command.
#pragma once

#include <vector>

#include "line_drawing.hpp"
#include "stegolab/params.hpp"
#include "stegolab/plugin.hpp"

namespace stegolab {

std::vector<ParamDoc> line_style_docs();

// Throws ParamError naming the parameter on a colour that is not #rrggbb or
// a margin that leaves no room for the chart.
LineStyle line_style_from(const Params& params);

}  // namespace stegolab
