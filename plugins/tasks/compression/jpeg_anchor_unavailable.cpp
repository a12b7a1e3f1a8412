// The JPEG anchor in a build without OpenCV: refused by name.
#include "jpeg_anchor.hpp"

#include "stegolab/errors.hpp"

namespace stegolab::compression {

JpegRoundTrip jpeg_round_trip(const torch::Tensor& /*image*/, int /*quality*/) {
  throw PluginError(
      "task 'compression': anchor_jpeg_qualities needs OpenCV, and this build has none "
      "(STEGOLAB_WITH_OPENCV=OFF)");
}

}  // namespace stegolab::compression
