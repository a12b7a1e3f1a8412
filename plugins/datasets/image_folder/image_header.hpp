// The size of a PNG or JPEG image from its header, without decoding pixels:
// listing a 100,000-image folder must not decode it.
#pragma once

#include <filesystem>
#include <optional>

#include "stegolab/dataset.hpp"

namespace stegolab {

// Height and width from the PNG IHDR chunk or the JPEG frame header;
// nullopt when the file is neither or its header is cut short.
std::optional<ImageExtent> read_image_extent(const std::filesystem::path& file);

}  // namespace stegolab
