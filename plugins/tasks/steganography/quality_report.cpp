#include "quality_report.hpp"

#include <iomanip>
#include <iostream>

#include <torch/torch.h>

#include "stegolab/errors.hpp"
#include "stegolab/image_quality.hpp"

namespace stegolab::steganography {

void check_measurable(const torch::Tensor& image, const std::string& what) {
  if (image.size(2) >= kSsimWindow && image.size(3) >= kSsimWindow) return;
  throw Error(what + " is " + std::to_string(image.size(3)) + "x" + std::to_string(image.size(2)) +
              " pixels; its quality report needs at least " + std::to_string(kSsimWindow) + "x" +
              std::to_string(kSsimWindow) + " (SSIM's window); nothing was written");
}

void print_quality(const std::string& label, const torch::Tensor& a, const torch::Tensor& b) {
  const auto x = (a + 1.0) * 0.5, y = (b + 1.0) * 0.5;
  const double psnr_db = psnr(x, y, 1.0).item<double>();
  const double ssim_value = ssim(x, y, 1.0).item<double>();
  std::cout << std::fixed << std::setprecision(2) << label << ": PSNR " << psnr_db << " dB, SSIM "
            << std::setprecision(4) << ssim_value << "\n";
}

}  // namespace stegolab::steganography
