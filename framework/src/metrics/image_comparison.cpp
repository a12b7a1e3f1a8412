#include "metrics/image_comparison.hpp"

#include <cmath>
#include <iomanip>
#include <sstream>

#include <torch/torch.h>

#include "stegolab/errors.hpp"
#include "stegolab/image_quality.hpp"

namespace stegolab {

namespace {

torch::Tensor as_nchw(const torch::Tensor& hwc) {
  return hwc.permute({2, 0, 1}).unsqueeze(0).to(torch::kFloat32);
}

double first(const torch::Tensor& per_image) { return per_image[0].item<double>(); }

}  // namespace

std::vector<ImageMeasure> compare_images(const torch::Tensor& a, const torch::Tensor& b) {
  if (a.dim() != 3 || a.size(2) != 3 || a.sizes() != b.sizes()) {
    throw Error("compare_images: expected two uint8 [H, W, 3] images of one size, got " +
                c10::str(a.sizes()) + " and " + c10::str(b.sizes()));
  }
  torch::NoGradGuard no_grad;
  const torch::Tensor x = as_nchw(a), y = as_nchw(b);
  const bool windowed = a.size(0) >= kSsimWindow && a.size(1) >= kSsimWindow;
  const auto if_windowed = [&](auto measure) -> std::optional<double> {
    if (!windowed) return std::nullopt;
    return first(measure(x, y, 255.0));
  };
  const torch::Tensor difference = (x - y).abs();
  return {
      {"psnr", first(psnr(x, y, 255.0)), "dB"},
      {"psnr_y_matlab",
       first(psnr(rgb_to_luma_studio(x, 255.0), rgb_to_luma_studio(y, 255.0), 255.0)), "dB"},
      {"psnr_y_full", first(psnr(rgb_to_luma_bt601(x), rgb_to_luma_bt601(y), 255.0)), "dB"},
      {"ssim", if_windowed(ssim), ""},
      {"ms_ssim", if_windowed(ms_ssim), ""},
      {"apd", first(mean_absolute_difference(x, y)), "0-255"},
      {"rmse", std::sqrt(difference.square().mean().item<double>()), "0-255"},
      {"max_abs_diff", difference.max().item<double>(), "0-255"},
  };
}

std::string comparison_line(const std::vector<ImageMeasure>& measures) {
  std::ostringstream line;
  line << std::fixed;
  for (std::size_t i = 0; i < measures.size(); ++i) {
    const ImageMeasure& m = measures[i];
    line << (i == 0 ? "" : "  ") << m.name << " ";
    if (!m.value) {
      line << "n/a";
    } else if (std::isinf(*m.value)) {
      line << "inf";
    } else {
      line << std::setprecision(m.unit.empty() ? 4 : 2) << *m.value;
    }
    if (m.value && m.unit == "dB") line << " dB";
  }
  return line.str();
}

nlohmann::json comparison_json(const std::vector<ImageMeasure>& measures) {
  nlohmann::json out = nlohmann::json::object();
  for (const ImageMeasure& m : measures) {
    out[m.name] = m.value && std::isfinite(*m.value) ? nlohmann::json(*m.value) : nullptr;
  }
  return out;
}

}  // namespace stegolab
