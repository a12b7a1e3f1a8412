#include "stegolab/rans_coder.hpp"

#include <algorithm>
#include <string>

#include "stegolab/errors.hpp"

namespace stegolab {

namespace {

// The state stays in [kLowerBound, kLowerBound << 32) between symbols.
constexpr uint64_t kLowerBound = 1ull << 31;
// Escaped values are written as 4-bit digits, each with probability 1/16.
constexpr int kDigitBits = 4;
constexpr uint32_t kDigitMask = (1u << kDigitBits) - 1;
constexpr uint32_t kDigitFrequency = kRansTotal >> kDigitBits;

// An escaped value relative to its table, folded to an unsigned number:
// below the alphabet odd, above it even.
uint64_t fold_escaped(int64_t relative, int64_t symbols) {
  return relative < 0 ? static_cast<uint64_t>(-relative) * 2 - 1
                      : static_cast<uint64_t>(relative - symbols) * 2;
}

int64_t unfold_escaped(uint64_t folded, int64_t symbols) {
  return (folded & 1) != 0 ? -static_cast<int64_t>((folded + 1) / 2)
                           : static_cast<int64_t>(folded / 2) + symbols;
}

void append_word(std::vector<uint8_t>& bytes, uint32_t word) {
  for (int shift = 0; shift < 32; shift += 8) bytes.push_back(static_cast<uint8_t>(word >> shift));
}

}  // namespace

void RansEncoder::encode_uniform_digit(uint32_t digit) {
  pending_.push_back({digit * kDigitFrequency, kDigitFrequency});
}

void RansEncoder::encode(int32_t value, const CdfTable& table) {
  const int64_t symbols = table.symbols();
  const int64_t relative = static_cast<int64_t>(value) - table.offset;
  if (relative >= 0 && relative < symbols) {
    const auto index = static_cast<int32_t>(relative);
    pending_.push_back({table.start(index), table.frequency(index)});
    return;
  }
  pending_.push_back({table.start(table.symbols()), table.frequency(table.symbols())});
  const uint64_t folded = fold_escaped(relative, symbols);
  uint32_t digits = 0;
  while (digits < 64 / kDigitBits && (folded >> (kDigitBits * digits)) != 0) ++digits;
  // The digit count itself in digits: runs of 15 end with one below 15.
  uint32_t count = digits;
  while (count >= kDigitMask) {
    encode_uniform_digit(kDigitMask);
    count -= kDigitMask;
  }
  encode_uniform_digit(count);
  for (uint32_t i = 0; i < digits; ++i) {
    encode_uniform_digit(static_cast<uint32_t>(folded >> (kDigitBits * i)) & kDigitMask);
  }
}

std::vector<uint8_t> RansEncoder::finish() {
  // rANS is last-in first-out: encoding the queue backwards lets the decoder
  // read the symbols forwards. Words come out in reverse order too.
  std::vector<uint32_t> words;
  uint64_t state = kLowerBound;
  for (auto slot = pending_.rbegin(); slot != pending_.rend(); ++slot) {
    const uint64_t limit = ((kLowerBound >> kRansPrecisionBits) << 32) * slot->frequency;
    if (state >= limit) {
      words.push_back(static_cast<uint32_t>(state));
      state >>= 32;
    }
    state = ((state / slot->frequency) << kRansPrecisionBits) + (state % slot->frequency) +
            slot->start;
  }
  pending_.clear();
  std::vector<uint8_t> bytes;
  bytes.reserve(8 + 4 * words.size());
  append_word(bytes, static_cast<uint32_t>(state));
  append_word(bytes, static_cast<uint32_t>(state >> 32));
  for (auto word = words.rbegin(); word != words.rend(); ++word) append_word(bytes, *word);
  return bytes;
}

RansDecoder::RansDecoder(const uint8_t* data, std::size_t size) : data_(data), size_(size) {
  if (size_ < 8) {
    throw Error("rANS stream: " + std::to_string(size_) +
                " bytes, shorter than the 8-byte coder state (truncated?)");
  }
  state_ = next_word();
  state_ |= static_cast<uint64_t>(next_word()) << 32;
}

uint32_t RansDecoder::next_word() {
  if (size_ - position_ < 4) {
    throw Error("rANS stream: ends after " + std::to_string(size_) +
                " bytes while symbols remain (truncated or not this model's stream)");
  }
  uint32_t word = 0;
  for (int i = 0; i < 4; ++i) word |= static_cast<uint32_t>(data_[position_ + i]) << (8 * i);
  position_ += 4;
  return word;
}

uint32_t RansDecoder::decode_slot(uint32_t start, uint32_t frequency) {
  constexpr uint64_t mask = kRansTotal - 1;
  state_ = frequency * (state_ >> kRansPrecisionBits) + (state_ & mask) - start;
  if (state_ < kLowerBound) state_ = (state_ << 32) | next_word();
  return start;
}

uint32_t RansDecoder::decode_uniform_digit() {
  const auto slot = static_cast<uint32_t>(state_ & (kRansTotal - 1));
  const uint32_t digit = slot / kDigitFrequency;
  decode_slot(digit * kDigitFrequency, kDigitFrequency);
  return digit;
}

int32_t RansDecoder::decode(const CdfTable& table) {
  const auto slot = static_cast<uint32_t>(state_ & (kRansTotal - 1));
  // The index whose [cdf[i], cdf[i + 1]) holds the slot.
  const auto above = std::upper_bound(table.cdf.begin(), table.cdf.end(), slot);
  const auto index = static_cast<int32_t>(above - table.cdf.begin()) - 1;
  decode_slot(table.start(index), table.frequency(index));
  if (index < table.symbols()) return table.offset + index;
  uint32_t digits = 0;
  for (uint32_t count = kDigitMask; count == kDigitMask;) {
    count = decode_uniform_digit();
    digits += count;
  }
  uint64_t folded = 0;
  for (uint32_t i = 0; i < digits && i < 64 / kDigitBits; ++i) {
    folded |= static_cast<uint64_t>(decode_uniform_digit()) << (kDigitBits * i);
  }
  const int64_t value = unfold_escaped(folded, table.symbols()) + table.offset;
  if (value < INT32_MIN || value > INT32_MAX) {
    throw Error("rANS stream: an escaped value outside int32 (not this model's stream)");
  }
  return static_cast<int32_t>(value);
}

}  // namespace stegolab
