// Sample-pair analysis (Dumitrescu, Wu and Wang, "Detection of LSB
// steganography via sample pair analysis", IEEE TSP 2003): a classic
// statistical detector of LSB replacement that estimates, per image, the
// fraction of pixels carrying a message (its "embedding rate"). It is the
// second opinion beside the learned steganalyser: exact for LSB replacement,
// blind to embeddings that do not flip least significant bits.
#pragma once

#include <torch/types.h>

namespace stegolab::steganography {

// The estimated embedding rate p of each image of `pixels` (uint8
// [N, H, W, C], any C): about 0 for a natural cover, about 1 after LSB
// replacement of every pixel with message bits. Pairs are the horizontally
// and vertically adjacent samples of each channel, pooled. Estimates are not
// clamped (noise can give slightly negative ones). Returns double [N] on the CPU.
torch::Tensor sample_pair_rates(const torch::Tensor& pixels);

}  // namespace stegolab::steganography
