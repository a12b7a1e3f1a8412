#include "codec_stream.hpp"

#include <algorithm>
#include <utility>

#include "stegolab/errors.hpp"

namespace stegolab::compression {

namespace {

const char kMagic[3] = {'S', 'L', 'C'};

void put_varint(std::vector<uint8_t>& out, uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<uint8_t>(value | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<uint8_t>(value));
}

// Reads fields in order; any read past the end is a truncated file.
class StreamReader {
 public:
  StreamReader(const std::vector<uint8_t>& bytes, std::string source)
      : bytes_(bytes), source_(std::move(source)) {}

  uint8_t byte() {
    if (position_ >= bytes_.size()) truncated();
    return bytes_[position_++];
  }
  uint64_t varint() {
    uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      const uint8_t b = byte();
      value |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return value;
    }
    throw Error(source_ + ": malformed compressed stream (a length field does not end)");
  }
  std::vector<uint8_t> bytes(uint64_t count) {
    if (count > bytes_.size() - position_) truncated();
    std::vector<uint8_t> out(bytes_.begin() + position_, bytes_.begin() + position_ + count);
    position_ += count;
    return out;
  }
  [[noreturn]] void truncated() const {
    throw Error(source_ + ": truncated compressed stream (" + std::to_string(bytes_.size()) +
                " bytes, the header says more)");
  }

 private:
  const std::vector<uint8_t>& bytes_;
  std::string source_;
  std::size_t position_ = 0;
};

}  // namespace

std::vector<uint8_t> write_stream(const StreamHeader& header, const std::vector<uint8_t>& payload) {
  std::vector<uint8_t> out(kMagic, kMagic + 3);
  out.push_back(kStreamVersion);
  put_varint(out, header.model.size());
  out.insert(out.end(), header.model.begin(), header.model.end());
  for (int shift = 0; shift < 32; shift += 8) out.push_back(static_cast<uint8_t>(header.fingerprint >> shift));
  put_varint(out, static_cast<uint64_t>(header.height));
  put_varint(out, static_cast<uint64_t>(header.width));
  put_varint(out, payload.size());
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

ParsedStream read_stream(const std::vector<uint8_t>& bytes, const std::string& source) {
  if (bytes.size() < 4 || !std::equal(kMagic, kMagic + 3, bytes.begin())) {
    throw Error(source + ": not a stegolab compressed image (no \"SLC\" magic)");
  }
  StreamReader reader(bytes, source);
  reader.bytes(3);
  const uint8_t version = reader.byte();
  if (version != kStreamVersion) {
    throw Error(source + ": compressed stream version " + std::to_string(version) +
                ", this stegolab reads version " + std::to_string(kStreamVersion));
  }
  ParsedStream parsed;
  const std::vector<uint8_t> name = reader.bytes(reader.varint());
  parsed.header.model.assign(name.begin(), name.end());
  for (int shift = 0; shift < 32; shift += 8) {
    parsed.header.fingerprint |= static_cast<uint32_t>(reader.byte()) << shift;
  }
  parsed.header.height = static_cast<int64_t>(reader.varint());
  parsed.header.width = static_cast<int64_t>(reader.varint());
  if (parsed.header.height < 1 || parsed.header.width < 1 || parsed.header.height > (1 << 20) ||
      parsed.header.width > (1 << 20)) {
    throw Error(source + ": malformed compressed stream (image size " +
                std::to_string(parsed.header.height) + "x" + std::to_string(parsed.header.width) +
                ")");
  }
  parsed.payload = reader.bytes(reader.varint());
  return parsed;
}

}  // namespace stegolab::compression
