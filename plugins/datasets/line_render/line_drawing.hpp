// Line charts of sequences drawn with tensor ops: each sequence min/max
// normalised to the chart's height, its points evenly spaced across, joined
// by an anti-aliased polyline of a given width. A pixel's coverage is
// clamp(width/2 + 1/2 - d, 0, 1), d its distance to the nearest segment;
// its colour is the background blended towards the line's colour by it.
#pragma once

#include <array>
#include <cstdint>

#include <torch/types.h>

namespace stegolab {

struct LineStyle {
  int64_t height = 500;
  int64_t width = 800;
  double line_width = 2.0;  // pixels
  double margin = 4.0;      // pixels kept free on every side
  std::array<uint8_t, 3> colour{31, 119, 180};
  std::array<uint8_t, 3> background{255, 255, 255};
};

// Vertices in pixel coordinates (pixel centres at integers): x [L] shared,
// y [B, L], of `sequences` (float [B, L], L >= 2); a flat sequence is drawn
// at mid-height.
struct Polylines {
  torch::Tensor x;
  torch::Tensor y;
};
Polylines polyline_points(const torch::Tensor& sequences, const LineStyle& style);

// Coverage in [0, 1] of the pixels at (px, py) by the segments a-b, all
// tensors broadcast against each other.
torch::Tensor segment_coverage(const torch::Tensor& px, const torch::Tensor& py,
                               const torch::Tensor& ax, const torch::Tensor& ay,
                               const torch::Tensor& bx, const torch::Tensor& by, double half_width);

// uint8 [B, H, W, 3] RGB of `sequences` (float [B, L]) on their device,
// the whole batch in one set of tensor ops: each pixel column meets only the
// few segments within reach of it, so the segments are taken column by
// column in a handful of slots (no loop over images or over all segments).
torch::Tensor render_lines(const torch::Tensor& sequences, const LineStyle& style);

// The same drawing one image at a time: render_lines() of each sequence
// alone, copied to the host one by one. What a loop that renders and saves
// each chart does; the yardstick of `stegolab bench line_render`.
torch::Tensor render_lines_one_by_one(const torch::Tensor& sequences, const LineStyle& style);

}  // namespace stegolab
