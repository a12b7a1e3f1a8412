// Which image formats the commands may write: a stego must be written with
// exactly the pixels that were computed, or its secret does not survive and
// the quality printed describes another image.
#pragma once

#include <string>

namespace stegolab::steganography {

// Throws Error, before anything is computed, when `file` (--out) is not a
// lossless format (.png, .bmp, .tif, .tiff, .ppm, .pnm) and `allow_lossy`
// (--allow-lossy) is false.
void check_output_format(const std::string& file, bool allow_lossy);

}  // namespace stegolab::steganography
