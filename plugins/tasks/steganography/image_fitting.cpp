#include "image_fitting.hpp"

#include <iostream>

#include <torch/torch.h>

#include "stegolab/errors.hpp"
#include "stegolab/pixel_scale.hpp"

namespace stegolab::steganography {

std::string fit_mode(const std::string& option, const nlohmann::json& manifest,
                     const std::string& checkpoint) {
  const std::string mode =
      option.empty() ? manifest.value("resize", std::string("resize")) : option;
  if (mode != "resize" && mode != "native") {
    throw Error(
        (option.empty() ? "checkpoint " + checkpoint + ": \"resize\"" : std::string("--fit")) +
        " must be resize or native, got '" + mode + "'");
  }
  return mode;
}

torch::Tensor load_at(CommandServices& services, const std::string& file, int64_t height,
                      int64_t width, const std::string& why, torch::Device device) {
  torch::Tensor pixels = services.read_image(file);
  if (pixels.size(0) != height || pixels.size(1) != width) {
    std::cerr << "note: resized " << file << " from " << pixels.size(1) << "x" << pixels.size(0)
              << " to " << width << "x" << height << " (" << why << ")\n";
    pixels = services.resize_image(pixels, height, width);
  }
  return images_from_uint8(pixels.unsqueeze(0)).to(device);
}

torch::Tensor load_first(CommandServices& services, const std::string& file,
                         const std::string& mode, const nlohmann::json& manifest,
                         torch::Device device) {
  if (mode == "native") return images_from_uint8(services.read_image(file).unsqueeze(0)).to(device);
  const int64_t size = manifest.value("image_size", int64_t{0});
  return load_at(services, file, size, size,
                 "the trained size; --fit native keeps the image's own size", device);
}

}  // namespace stegolab::steganography
