// Between latent tensors and the rANS coder: integer symbols, each coded
// with the table its index names. Private to the SDK's entropy models.
#pragma once

#include <vector>

#include <torch/types.h>

#include "stegolab/cdf_table.hpp"
#include "stegolab/rans_coder.hpp"

namespace stegolab {

// int32 indexes naming each element's channel, for per-channel tables.
torch::Tensor channel_indexes(c10::IntArrayRef shape);

// symbols: integral float values (rounded latents); indexes: int32 of the
// same shape, each < tables.size(). Throws PluginError for a value that
// does not fit int32 (a diverged model).
void encode_symbols(const torch::Tensor& symbols, const torch::Tensor& indexes,
                    const std::vector<CdfTable>& tables, RansEncoder& encoder);
// The symbols encode_symbols() wrote with these indexes, as fp32 on the CPU.
torch::Tensor decode_symbols(RansDecoder& decoder, const torch::Tensor& indexes,
                             const std::vector<CdfTable>& tables);

// The first `count` entries of a 1-D double tensor.
std::vector<double> first_masses(const torch::Tensor& row, int64_t count);

}  // namespace stegolab
