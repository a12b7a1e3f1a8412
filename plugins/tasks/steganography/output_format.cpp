#include "output_format.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>

#include "stegolab/errors.hpp"

namespace stegolab::steganography {

void check_output_format(const std::string& file, bool allow_lossy) {
  if (allow_lossy) return;
  std::string extension = std::filesystem::path(file).extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  // Formats OpenCV writes losslessly with its defaults, in 8-bit RGB.
  constexpr std::array<const char*, 6> kLossless = {".png",  ".bmp", ".tif",
                                                    ".tiff", ".ppm", ".pnm"};
  if (std::find(kLossless.begin(), kLossless.end(), extension) != kLossless.end()) return;
  throw Error("--out '" + file +
              "': " + (extension.empty() ? std::string("no extension") : "'" + extension + "'") +
              " is not a lossless image format, so the file would not hold the pixels that were "
              "computed and measured; use .png (or .bmp, .tif, .ppm), or --allow-lossy to write "
              "it anyway and measure the file as written");
}

}  // namespace stegolab::steganography
