// The compressed-image file (".slc"): a self-describing header, then the
// codec's entropy-coded payload.
//
//   "SLC"                 magic, 3 bytes
//   version               1 byte (kStreamVersion)
//   model                 varint length + the model plugin's name
//   fingerprint           4 bytes, little-endian: the model's parameters (model_fingerprint)
//   height, width         varints: the image's size before padding
//   payload length        varint, then the payload
//
// Every field is counted in the bits per pixel the compression task reports.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace stegolab::compression {

constexpr uint8_t kStreamVersion = 1;

struct StreamHeader {
  std::string model;
  uint32_t fingerprint = 0;
  int64_t height = 0;
  int64_t width = 0;
};

struct ParsedStream {
  StreamHeader header;
  std::vector<uint8_t> payload;
};

std::vector<uint8_t> write_stream(const StreamHeader& header, const std::vector<uint8_t>& payload);
// Throws Error naming `source` for a foreign file (magic), another version,
// or a truncated one.
ParsedStream read_stream(const std::vector<uint8_t>& bytes, const std::string& source);

}  // namespace stegolab::compression
