#include "jpeg_anchor.hpp"

#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <torch/torch.h>

#include "stegolab/errors.hpp"
#include "stegolab/pixel_scale.hpp"

namespace stegolab::compression {

JpegRoundTrip jpeg_round_trip(const torch::Tensor& image, int quality) {
  const torch::Tensor pixels = images_to_uint8(image.cpu())[0].contiguous();  // [H, W, 3]
  const cv::Mat rgb(static_cast<int>(pixels.size(0)), static_cast<int>(pixels.size(1)), CV_8UC3,
                    pixels.data_ptr<uint8_t>());
  cv::Mat bgr;
  // OpenCV's encoder takes BGR: its colour transform must see the right channels.
  cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
  std::vector<uchar> bytes;
  if (!cv::imencode(".jpg", bgr, bytes, {cv::IMWRITE_JPEG_QUALITY, quality})) {
    throw PluginError("task 'compression': OpenCV could not encode the JPEG anchor at quality " +
                      std::to_string(quality));
  }
  cv::Mat decoded = cv::imdecode(bytes, cv::IMREAD_COLOR);
  cv::cvtColor(decoded, decoded, cv::COLOR_BGR2RGB);
  torch::Tensor out = torch::empty_like(pixels);
  cv::Mat target(decoded.rows, decoded.cols, CV_8UC3, out.data_ptr<uint8_t>());
  decoded.copyTo(target);
  return {images_from_uint8(out.unsqueeze(0)).to(image.device()), bytes.size()};
}

}  // namespace stegolab::compression
