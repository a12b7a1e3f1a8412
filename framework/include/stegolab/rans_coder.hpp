// rANS entropy coder (Duda's asymmetric numeral systems, range variant):
// 64-bit state, 32-bit renormalisation words, kRansPrecisionBits-bit
// probabilities from integer CdfTables. A value outside a table's alphabet
// is coded as the table's escape symbol followed by the value itself in
// 4-bit uniform digits, so any int32 round-trips whatever the table.
//
// The encoder takes symbols in order and writes the stream at finish(); the
// decoder returns them in the same order, given the same tables.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "stegolab/cdf_table.hpp"
#include "stegolab/export.hpp"

namespace stegolab {

class STEGOLAB_VISIBLE RansEncoder {
 public:
  // Queues `value` coded with `table` (escaped when outside its alphabet).
  void encode(int32_t value, const CdfTable& table);
  // The stream of every queued symbol; the encoder is empty afterwards.
  std::vector<uint8_t> finish();

 private:
  struct Slot {
    uint32_t start;
    uint32_t frequency;
  };
  void encode_uniform_digit(uint32_t digit);
  std::vector<Slot> pending_;
};

class STEGOLAB_VISIBLE RansDecoder {
 public:
  // Reads from data[0, size): the caller keeps it alive. Throws Error when
  // the stream is shorter than its initial state.
  RansDecoder(const uint8_t* data, std::size_t size);
  // The next value, decoded with the table it was encoded with. Throws Error
  // when the stream ends early (a truncated or foreign stream).
  int32_t decode(const CdfTable& table);
  // Bytes not consumed yet (0 at the end of a stream read completely).
  std::size_t remaining() const { return size_ - position_; }

 private:
  uint32_t decode_slot(uint32_t start, uint32_t frequency);
  uint32_t decode_uniform_digit();
  uint32_t next_word();
  const uint8_t* data_;
  std::size_t size_;
  std::size_t position_ = 0;
  uint64_t state_ = 0;
};

}  // namespace stegolab
