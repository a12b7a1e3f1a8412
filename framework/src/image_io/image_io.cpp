#include "image_io/image_io.hpp"

#include <ostream>
#include <vector>

#include <torch/torch.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace stegolab {

namespace fs = std::filesystem;

namespace {

std::string quoted(const fs::path& path) { return "'" + path.string() + "'"; }

void check_hwc(const torch::Tensor& image, const char* what) {
  if (image.dim() != 3 || image.size(2) != 3 || image.scalar_type() != torch::kUInt8) {
    throw Error(std::string(what) + ": expected a uint8 [H, W, 3] image, got " +
                c10::str(image.sizes()) + " " + c10::toString(image.scalar_type()));
  }
}

// A view of the tensor's memory (no copy); the tensor must outlive it.
cv::Mat as_mat(const torch::Tensor& contiguous) {
  return cv::Mat(static_cast<int>(contiguous.size(0)), static_cast<int>(contiguous.size(1)),
                 CV_8UC3, contiguous.data_ptr<uint8_t>());
}

torch::Tensor from_mat(const cv::Mat& rgb) {
  return torch::from_blob(rgb.data, {rgb.rows, rgb.cols, 3}, torch::kUInt8).clone();
}

// 16-bit and float samples are scaled to 8 bits unless `exact`, which refuses them.
torch::Tensor decode_image(const fs::path& file, std::ostream* notes, bool exact) {
  if (!fs::exists(file)) throw ImageFileError("image " + quoted(file) + " does not exist");
  if (fs::is_directory(file))
    throw ImageFileError("image " + quoted(file) + " is a directory, not an image file");
  cv::Mat image = cv::imread(file.string(), cv::IMREAD_UNCHANGED);
  if (image.empty()) {
    throw ImageFileError("cannot read image " + quoted(file) + ": not an image file or corrupt");
  }
  if (image.depth() != CV_8U && exact) {
    const int depth = image.depth();
    const std::string samples = depth == CV_16U || depth == CV_16S ? "16-bit"
                                : depth == CV_32F || depth == CV_64F ? "floating-point"
                                                                     : "non-8-bit";
    throw ImageFileError("image " + quoted(file) + " has " + samples +
                         " samples; only 8-bit files are measured as they are (save it as an "
                         "8-bit PNG first)");
  }
  if (image.depth() != CV_8U) {
    // 16-bit PNGs: scale to 8 bits, which is what the models were trained on.
    const double scale = image.depth() == CV_16U ? 1.0 / 257.0 : 1.0;
    image.convertTo(image, CV_8U, scale);
    if (notes) *notes << "note: " << quoted(file) << " is not 8-bit; converted to 8 bits\n";
  }
  cv::Mat rgb;
  switch (image.channels()) {
    case 1:
      cv::cvtColor(image, rgb, cv::COLOR_GRAY2RGB);
      if (notes) *notes << "note: " << quoted(file) << " is grayscale; converted to RGB\n";
      break;
    case 3:
      cv::cvtColor(image, rgb, cv::COLOR_BGR2RGB);
      break;
    case 4:
      cv::cvtColor(image, rgb, cv::COLOR_BGRA2RGB);
      if (notes) *notes << "note: " << quoted(file) << " has an alpha channel; dropped it (RGB)\n";
      break;
    default:
      throw ImageFileError("image " + quoted(file) + " has " + std::to_string(image.channels()) +
                           " channels; expected grayscale, RGB or RGBA");
  }
  return from_mat(rgb);
}

}  // namespace

torch::Tensor read_image(const fs::path& file, std::ostream* notes) {
  return decode_image(file, notes, /*exact=*/false);
}

torch::Tensor read_8bit_image(const fs::path& file, std::ostream* notes) {
  return decode_image(file, notes, /*exact=*/true);
}

void write_image(const fs::path& file, const torch::Tensor& image) {
  check_hwc(image, "write_image");
  const auto pixels = image.to(torch::kCPU).contiguous();
  cv::Mat bgr;
  cv::cvtColor(as_mat(pixels), bgr, cv::COLOR_RGB2BGR);
  if (file.has_parent_path() && !fs::exists(file.parent_path())) {
    throw ImageFileError("cannot write image " + quoted(file) + ": folder " +
                         quoted(file.parent_path()) + " does not exist");
  }
  bool written = false;
  try {
    written = cv::imwrite(file.string(), bgr);
  } catch (const cv::Exception& e) {
    throw ImageFileError("cannot write image " + quoted(file) + ": " + e.msg);
  }
  if (!written)
    throw ImageFileError("cannot write image " + quoted(file) +
                         " (unknown extension or no permission)");
}

torch::Tensor resize_image(const torch::Tensor& image, int64_t height, int64_t width) {
  check_hwc(image, "resize_image");
  if (image.size(0) == height && image.size(1) == width) return image;
  const auto pixels = image.to(torch::kCPU).contiguous();
  const bool shrinking = height * width < image.size(0) * image.size(1);
  cv::Mat resized;
  cv::resize(as_mat(pixels), resized, cv::Size(static_cast<int>(width), static_cast<int>(height)),
             0, 0, shrinking ? cv::INTER_AREA : cv::INTER_CUBIC);
  return from_mat(resized);
}

}  // namespace stegolab
