// One image through a codec model and the stream format, both ways: padding
// to the model's alignment (edge pixels repeated), the header, cropping back.
// Shared by the task's evaluation and the compress/decompress commands.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <torch/types.h>

#include "stegolab/codec.hpp"

namespace stegolab::compression {

// A 32-bit FNV-1a hash of the model's parameter and buffer names, shapes and
// values: a stream names the exact model that can decode it.
uint32_t model_fingerprint(const CodecModel& model);

// A model with its tables built, ready to code images; the model must not
// change while this lives (its fingerprint is taken once).
class ImageCodec {
 public:
  ImageCodec(CodecModel& model, std::string plugin);
  // image: [1, C, H, W] in [-1, 1] (any size). The stream file's bytes.
  std::vector<uint8_t> compress(const torch::Tensor& image) const;
  // The decoded image [1, C, H, W] (nominally [-1, 1], not clamped), on the
  // model's device. Throws Error naming `source` for a stream of another
  // model, a foreign or a truncated file.
  torch::Tensor decompress(const std::vector<uint8_t>& stream, const std::string& source) const;

 private:
  CodecModel& model_;
  std::string plugin_;
  uint32_t fingerprint_;
};

}  // namespace stegolab::compression
