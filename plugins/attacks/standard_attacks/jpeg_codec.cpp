#include "jpeg_codec.hpp"

#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <torch/torch.h>

#include "stegolab/errors.hpp"
#include "stegolab/pixel_scale.hpp"

namespace stegolab::attacks {

namespace {

// One HxWxC uint8 image (RGB or grey) through encode and decode.
cv::Mat jpeg_image(const cv::Mat& pixels, int quality) {
  cv::Mat bgr;
  // OpenCV's encoder takes BGR: the colour transform must see the right channels.
  if (pixels.channels() == 3) cv::cvtColor(pixels, bgr, cv::COLOR_RGB2BGR);
  else bgr = pixels;
  std::vector<uchar> bytes;
  if (!cv::imencode(".jpg", bgr, bytes, {cv::IMWRITE_JPEG_QUALITY, quality})) {
    throw PluginError("attack 'jpeg': OpenCV could not encode a JPEG");
  }
  const int flags = pixels.channels() == 3 ? cv::IMREAD_COLOR : cv::IMREAD_GRAYSCALE;
  cv::Mat decoded = cv::imdecode(bytes, flags);
  if (pixels.channels() == 3) cv::cvtColor(decoded, decoded, cv::COLOR_BGR2RGB);
  return decoded;
}

}  // namespace

torch::Tensor jpeg_round_trip(const torch::Tensor& images, int quality) {
  const int64_t channels = images.size(1);
  if (channels != 1 && channels != 3) {
    throw PluginError("attack 'jpeg': JPEG holds 1 or 3 channels, got " +
                      std::to_string(channels));
  }
  const torch::Tensor pixels = images_to_uint8(images);  // [N, H, W, C] on the CPU
  torch::Tensor decoded = torch::empty_like(pixels);
  const int height = static_cast<int>(pixels.size(1)), width = static_cast<int>(pixels.size(2));
  const int type = channels == 3 ? CV_8UC3 : CV_8UC1;
  for (int64_t i = 0; i < pixels.size(0); ++i) {
    const cv::Mat in(height, width, type, pixels[i].data_ptr<uint8_t>());
    cv::Mat out(height, width, type, decoded[i].data_ptr<uint8_t>());
    jpeg_image(in, quality).copyTo(out);
  }
  return images_from_uint8(decoded.to(images.device()));
}

}  // namespace stegolab::attacks
