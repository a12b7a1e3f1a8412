// Image files in a build without OpenCV (STEGOLAB_WITH_OPENCV=OFF, as on a
// GPU machine without Debian's packages): every file operation says why it
// cannot run instead of failing to link.
#include <string>

#include "image_io/image_io.hpp"

namespace stegolab {

namespace {

[[noreturn]] void unavailable(const std::string& what, const std::filesystem::path& file) {
  throw ImageFileError(
      what + " '" + file.string() +
      "': this stegolab was built without OpenCV (STEGOLAB_WITH_OPENCV=OFF), so it "
      "reads and writes no image files; rebuild with OpenCV for the commands that read images and "
      "for "
      "image_folder");
}

}  // namespace

torch::Tensor read_image(const std::filesystem::path& file, std::ostream* /*notes*/) {
  unavailable("cannot read image", file);
}

torch::Tensor read_8bit_image(const std::filesystem::path& file, std::ostream* /*notes*/) {
  unavailable("cannot read image", file);
}

void write_image(const std::filesystem::path& file, const torch::Tensor& /*image*/) {
  unavailable("cannot write image", file);
}

torch::Tensor resize_image(const torch::Tensor& image, int64_t height, int64_t width) {
  if (image.dim() == 3 && image.size(0) == height && image.size(1) == width) return image;
  unavailable("cannot resize image", "(in memory)");
}

}  // namespace stegolab
