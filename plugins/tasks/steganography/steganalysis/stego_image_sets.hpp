// The cover and 8-bit stego images of a split, as a steganalyser sees them:
// the split's evaluation samples (the trial's own pairing), each cover as
// the data source serves it and the task's stego rounded to 8 bits, as a
// saved PNG would hold it.
#pragma once

#include <cstdint>
#include <string>

#include <torch/types.h>

#include "stegolab/dataset.hpp"

namespace stegolab::steganography {

class SteganographyTask;

// What stands in for the task's stego image: the task's own, or a control
// that checks the detectors on the same covers: plain LSB replacement of
// every channel's least significant bit by random message bits (1 bit per
// channel, full payload; every detector should find it), or the cover
// itself (none can: accuracy and AUC 0.5).
enum class StegoControl { task, lsb, identical };

// "none" | "lsb" | "identical"; throws Error naming `option` otherwise.
StegoControl parse_stego_control(const std::string& text, const std::string& option);

struct StegoImageSets {
  torch::Tensor covers;  // uint8 [N, H, W, C] on the CPU
  torch::Tensor stegos;  // the same shape, pair i = (covers[i], stegos[i])
  int64_t size() const { return covers.defined() ? covers.size(0) : 0; }
};

// The first `max_images` samples (0: all) of split `split_name` (indices
// `split` into `source`), computed `batch_size` at a time on `device`; the
// lsb control's bits are drawn from `seed`.
StegoImageSets stego_image_sets(SteganographyTask& task, ImageSource& source,
                                const std::string& split_name, const torch::Tensor& split,
                                int64_t max_images, int64_t batch_size, torch::Device device,
                                StegoControl control = StegoControl::task, uint64_t seed = 0);

}  // namespace stegolab::steganography
