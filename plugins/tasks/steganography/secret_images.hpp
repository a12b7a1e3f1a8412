// The k secret images of a sample: their names in a batch and the two
// layouts the task moves them between. A model sees them stacked along the
// channels (StegoModel); losses and metrics see them stacked along the batch,
// so a term or a mean over "the secrets" covers every secret equally.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <torch/types.h>

#include "stegolab/tensor_map.hpp"

namespace stegolab::steganography {

// The most secrets a cover carries (the `secrets` parameter's bound; the
// per-secret metrics are declared up to it).
constexpr int64_t kMaxSecrets = 4;

// The batch names of the secrets: "secret" for one (as before several
// existed), "secret_1" .. "secret_k" otherwise.
std::vector<std::string> secret_names(int64_t secrets);

// The batch's secrets, [N, k*C, H, W], secret 1's channels first.
torch::Tensor secrets_along_channels(const TensorMap& batch, int64_t secrets);

// [N, k*C, H, W] -> [k*N, C, H, W]: secret 1 of every sample, then secret 2, ...
torch::Tensor secrets_along_batch(const torch::Tensor& along_channels, int64_t secrets);

// [N, k*C, H, W] -> k tensors [N, C, H, W], secret j at index j - 1.
std::vector<torch::Tensor> each_secret(const torch::Tensor& along_channels, int64_t secrets);

}  // namespace stegolab::steganography
