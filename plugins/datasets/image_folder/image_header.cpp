#include "image_header.hpp"

#include <array>
#include <cstdint>
#include <fstream>

namespace stegolab {
namespace {

uint32_t big_endian(const unsigned char* bytes, int count) {
  uint32_t value = 0;
  for (int i = 0; i < count; ++i) value = (value << 8) | bytes[i];
  return value;
}

std::optional<ImageExtent> png_extent(std::ifstream& in) {
  std::array<unsigned char, 24> head{};
  if (!in.read(reinterpret_cast<char*>(head.data()), head.size())) return std::nullopt;
  static constexpr std::array<unsigned char, 8> kSignature = {0x89, 'P', 'N', 'G',
                                                              0x0d, 0x0a, 0x1a, 0x0a};
  for (size_t i = 0; i < kSignature.size(); ++i) {
    if (head[i] != kSignature[i]) return std::nullopt;
  }
  if (head[12] != 'I' || head[13] != 'H' || head[14] != 'D' || head[15] != 'R') return std::nullopt;
  const ImageExtent extent{big_endian(&head[20], 4), big_endian(&head[16], 4)};
  if (extent.height < 1 || extent.width < 1) return std::nullopt;
  return extent;
}

// Start-of-frame markers carry the size: C0..CF except DHT (C4), JPG (C8)
// and DAC (CC).
bool is_frame_marker(int marker) {
  return marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
}

std::optional<ImageExtent> jpeg_extent(std::ifstream& in) {
  in.seekg(2);  // past SOI
  for (;;) {
    int byte = in.get();
    if (byte != 0xff) return std::nullopt;
    int marker = in.get();
    while (marker == 0xff) marker = in.get();  // fill bytes
    if (marker == EOF) return std::nullopt;
    if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd8)) continue;  // no length
    std::array<unsigned char, 7> field{};
    if (!in.read(reinterpret_cast<char*>(field.data()), 2)) return std::nullopt;
    const uint32_t length = big_endian(field.data(), 2);
    if (length < 2) return std::nullopt;
    if (is_frame_marker(marker)) {
      if (!in.read(reinterpret_cast<char*>(field.data() + 2), 5)) return std::nullopt;
      const ImageExtent extent{big_endian(&field[3], 2), big_endian(&field[5], 2)};
      if (extent.height < 1 || extent.width < 1) return std::nullopt;
      return extent;
    }
    in.seekg(length - 2, std::ios::cur);
  }
}

}  // namespace

std::optional<ImageExtent> read_image_extent(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  const int first = in.get();
  const int second = in.get();
  in.seekg(0);
  if (first == 0xff && second == 0xd8) return jpeg_extent(in);
  return png_extent(in);
}

}  // namespace stegolab
