#include "line_drawing.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include <torch/torch.h>

namespace stegolab {

namespace {

// Elements of one [B, H, W] float temporary the batched drawing allows
// itself; larger batches are drawn in parts. On a GPU about 128 MiB: the
// more pixels per kernel the better. On the CPU about 8 MiB (5 charts of
// 800x500): temporaries that stay in the caches; 128 MiB ones made the
// drawing 3x slower there (docs/performance.md).
int64_t part_elements(const torch::Device& device) {
  return device.is_cpu() ? int64_t{1} << 21 : int64_t{1} << 25;
}

// The segments within reach of each pixel column: int64 [K, W] indices into
// the L - 1 segments (repeats where fewer are near). A segment k spans
// x[k]..x[k+1]; a pixel further than half_width + 1/2 from it is not covered.
torch::Tensor column_segments(int64_t length, const LineStyle& style, torch::Device device) {
  const double step = (static_cast<double>(style.width) - 1.0 - 2.0 * style.margin) /
                      static_cast<double>(length - 1);
  const double reach = style.line_width / 2.0 + 1.0;
  const int64_t slots = static_cast<int64_t>(std::ceil(2.0 * reach / step)) + 3;
  const auto options = torch::TensorOptions().dtype(torch::kDouble).device(device);
  const torch::Tensor column = torch::arange(style.width, options);
  const torch::Tensor first =
      (torch::floor((column - reach - style.margin) / step) - 1).clamp(0, length - 2);
  const torch::Tensor slot = torch::arange(slots, options).unsqueeze(1);
  return (first.unsqueeze(0) + slot).clamp_max(length - 2).to(torch::kLong);
}

torch::Tensor compose(const torch::Tensor& coverage, const LineStyle& style) {
  const auto options = coverage.options();
  const auto rgb = [&options](const std::array<uint8_t, 3>& c) {
    return torch::tensor(
        {static_cast<double>(c[0]), static_cast<double>(c[1]), static_cast<double>(c[2])}, options);
  };
  const torch::Tensor background = rgb(style.background);
  const torch::Tensor colour = rgb(style.colour);
  const torch::Tensor blended = background + coverage.unsqueeze(-1) * (colour - background);
  return blended.round_().clamp_(0, 255).to(torch::kByte);
}

// uint8 [B, H, W, 3] of one part of a batch.
torch::Tensor render_part(const torch::Tensor& sequences, const LineStyle& style,
                          const torch::Tensor& segments) {
  const Polylines points = polyline_points(sequences, style);
  const auto options = points.y.options();
  const torch::Tensor px = torch::arange(style.width, options).view({1, 1, -1});
  const torch::Tensor py = torch::arange(style.height, options).view({1, -1, 1});
  const double half_width = style.line_width / 2.0;
  torch::Tensor coverage;
  for (int64_t slot = 0; slot < segments.size(0); ++slot) {
    const torch::Tensor k = segments[slot];  // [W]
    const torch::Tensor ax = points.x.index_select(0, k).view({1, 1, -1});
    const torch::Tensor bx = points.x.index_select(0, k + 1).view({1, 1, -1});
    const torch::Tensor ay = points.y.index_select(1, k).unsqueeze(1);  // [B, 1, W]
    const torch::Tensor by = points.y.index_select(1, k + 1).unsqueeze(1);
    const torch::Tensor part = segment_coverage(px, py, ax, ay, bx, by, half_width);
    coverage = coverage.defined() ? torch::maximum(coverage, part) : part;
  }
  return compose(coverage, style);
}

}  // namespace

Polylines polyline_points(const torch::Tensor& sequences, const LineStyle& style) {
  const torch::Tensor values = sequences.to(torch::kFloat);
  const int64_t length = values.size(1);
  const torch::Tensor low = std::get<0>(values.min(1, /*keepdim=*/true));
  const torch::Tensor high = std::get<0>(values.max(1, /*keepdim=*/true));
  const torch::Tensor range = high - low;
  const torch::Tensor level = torch::where(range > 0, (values - low) / range.clamp_min(1e-30),
                                           torch::full_like(values, 0.5));
  const double span_y = static_cast<double>(style.height) - 1.0 - 2.0 * style.margin;
  const double span_x = static_cast<double>(style.width) - 1.0 - 2.0 * style.margin;
  Polylines points;
  points.y = style.margin + (1.0 - level) * span_y;
  points.x = style.margin +
             torch::arange(length, values.options()) * (span_x / static_cast<double>(length - 1));
  return points;
}

torch::Tensor segment_coverage(const torch::Tensor& px, const torch::Tensor& py,
                               const torch::Tensor& ax, const torch::Tensor& ay,
                               const torch::Tensor& bx, const torch::Tensor& by,
                               double half_width) {
  const torch::Tensor dx = bx - ax;
  const torch::Tensor dy = by - ay;
  const torch::Tensor length2 = (dx * dx + dy * dy).clamp_min(1e-12);
  const torch::Tensor rx = px - ax;
  const torch::Tensor ry = py - ay;
  const torch::Tensor t = ((rx * dx + ry * dy) / length2).clamp_(0, 1);
  const torch::Tensor ex = rx - t * dx;
  const torch::Tensor ey = ry - t * dy;
  return (half_width + 0.5 - (ex * ex + ey * ey).sqrt_()).clamp_(0, 1);
}

torch::Tensor render_lines(const torch::Tensor& sequences, const LineStyle& style) {
  torch::NoGradGuard no_grad;
  const int64_t count = sequences.size(0);
  const torch::Tensor segments = column_segments(sequences.size(1), style, sequences.device());
  const int64_t part =
      std::max<int64_t>(1, part_elements(sequences.device()) / (style.height * style.width));
  if (count <= part) return render_part(sequences, style, segments);
  std::vector<torch::Tensor> parts;
  for (int64_t begin = 0; begin < count; begin += part) {
    parts.push_back(
        render_part(sequences.narrow(0, begin, std::min(part, count - begin)), style, segments));
  }
  return torch::cat(parts);
}

torch::Tensor render_lines_one_by_one(const torch::Tensor& sequences, const LineStyle& style) {
  torch::NoGradGuard no_grad;
  const int64_t count = sequences.size(0);
  torch::Tensor images = torch::empty({count, style.height, style.width, 3}, torch::kByte);
  for (int64_t index = 0; index < count; ++index) {
    images[index].copy_(render_lines(sequences.narrow(0, index, 1), style)[0].cpu());
  }
  return images;
}

}  // namespace stegolab
