// The sequences a line_render dataset draws: a NumPy .npy file holding a
// float32 array [N, L] (read here, without NumPy), or a CSV file with one
// sequence per row (commas, all rows of one length).
#pragma once

#include <string>

#include <torch/types.h>

namespace stegolab {

// float32 [N, L] on the CPU. Throws PluginError naming `owner` and the file
// on anything else: another dtype, a shape not of two dimensions, Fortran
// order, a ragged or non-numeric CSV row.
torch::Tensor read_sequences(const std::string& owner, const std::string& file);

}  // namespace stegolab
