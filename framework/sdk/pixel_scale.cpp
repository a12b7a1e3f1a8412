#include "stegolab/pixel_scale.hpp"

#include <torch/torch.h>

namespace stegolab {

torch::Tensor to_pixel_scale(const torch::Tensor& images, bool quantize) {
  torch::Tensor pixels = (images.to(torch::kFloat) + 1.0) * kPixelHalfRange;
  if (quantize) pixels = pixels.round();
  return pixels.clamp(0.0, 255.0);
}

torch::Tensor quantize_to_8bit(const torch::Tensor& images) {
  return to_pixel_scale(images, true) / kPixelHalfRange - 1.0;
}

torch::Tensor images_from_uint8(const torch::Tensor& pixels_nhwc) {
  // One conversion copy (a fresh contiguous tensor), then in place.
  return pixels_nhwc.permute({0, 3, 1, 2})
      .to(torch::kFloat, /*non_blocking=*/false, /*copy=*/true, torch::MemoryFormat::Contiguous)
      .mul_(1.0 / kPixelHalfRange)
      .sub_(1.0);
}

torch::Tensor images_to_uint8(const torch::Tensor& images) {
  return to_pixel_scale(images.detach(), /*quantize=*/true)
      .to(torch::kUInt8)
      .permute({0, 2, 3, 1})
      .contiguous()
      .to(torch::kCPU);
}

namespace {

// Its own autograd node, so that the forward value is exactly the quantised
// image (the x + (q - x).detach() trick rounds again in the sum).
struct StraightThroughQuantize : torch::autograd::Function<StraightThroughQuantize> {
  static torch::Tensor forward(torch::autograd::AutogradContext* context, const torch::Tensor& x) {
    context->saved_data["dtype"] = static_cast<int64_t>(x.scalar_type());
    return quantize_to_8bit(x);
  }
  static torch::autograd::tensor_list backward(torch::autograd::AutogradContext* context,
                                               torch::autograd::tensor_list grad) {
    const auto dtype = static_cast<torch::ScalarType>(context->saved_data["dtype"].toInt());
    return {grad[0].to(dtype)};
  }
};

}  // namespace

torch::Tensor quantize_to_8bit_straight_through(const torch::Tensor& images) {
  if (!images.requires_grad() || !torch::GradMode::is_enabled()) return quantize_to_8bit(images);
  return StraightThroughQuantize::apply(images);
}

torch::Tensor amplified_difference(const torch::Tensor& a, const torch::Tensor& b, double factor) {
  const torch::Tensor difference =
      (to_pixel_scale(a, /*quantize=*/true) - to_pixel_scale(b, /*quantize=*/true)).abs();
  return (difference * factor)
      .round()
      .clamp(0, 255)
      .to(torch::kUInt8)
      .permute({0, 2, 3, 1})
      .contiguous()
      .cpu();
}

}  // namespace stegolab
