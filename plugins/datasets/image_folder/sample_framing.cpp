#include "sample_framing.hpp"

#include <algorithm>
#include <cmath>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace stegolab {
namespace {

cv::Mat centre_square(const cv::Mat& image, int side) {
  const int edge = std::min(image.cols, image.rows);
  cv::Mat square = image(cv::Rect((image.cols - edge) / 2, (image.rows - edge) / 2, edge, edge));
  if (edge == side) return square;
  cv::Mat resized;
  cv::resize(square, resized, cv::Size(side, side), 0, 0,
             edge > side ? cv::INTER_AREA : cv::INTER_CUBIC);
  return resized;
}

// Offset of the window in [0, room]: u * (room + 1) rounded down.
int window_offset(double uniform, int room) {
  return std::min(room, static_cast<int>(std::floor(uniform * (room + 1))));
}

}  // namespace

cv::Mat decode_rgb(const std::filesystem::path& file, int64_t square_side) {
  cv::Mat image;
  try {
    // IMREAD_COLOR turns grayscale, RGBA and 16-bit images into 8-bit BGR.
    image = cv::imread(file.string(), cv::IMREAD_COLOR);
  } catch (const cv::Exception&) {
    return {};
  }
  if (image.empty()) return {};
  if (square_side > 0) image = centre_square(image, static_cast<int>(square_side));
  cv::Mat rgb;
  cv::cvtColor(image, rgb, cv::COLOR_BGR2RGB);
  return rgb;
}

void write_window(const cv::Mat& image, int64_t height, int64_t width, const SampleDraw* draw,
                  uint8_t* out) {
  const int h = static_cast<int>(height);
  const int w = static_cast<int>(width);
  cv::Mat source = image;
  if (image.rows < h || image.cols < w) {
    const double scale = std::max(static_cast<double>(h) / image.rows,
                                  static_cast<double>(w) / image.cols);
    const int rows = std::max(h, static_cast<int>(std::lround(image.rows * scale)));
    const int cols = std::max(w, static_cast<int>(std::lround(image.cols * scale)));
    cv::resize(image, source, cv::Size(cols, rows), 0, 0, cv::INTER_CUBIC);
  }
  const int rows_free = source.rows - h;
  const int cols_free = source.cols - w;
  const int top = draw ? window_offset(draw->top, rows_free) : rows_free / 2;
  const int left = draw ? window_offset(draw->left, cols_free) : cols_free / 2;
  cv::Mat target(h, w, CV_8UC3, out);
  const cv::Mat window = source(cv::Rect(left, top, w, h));
  if (draw && draw->flip) {
    cv::flip(window, target, 1);
  } else {
    window.copyTo(target);
  }
}

}  // namespace stegolab
