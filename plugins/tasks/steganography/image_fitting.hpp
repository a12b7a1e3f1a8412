// How the commands bring image files to the model: at the trained square
// size ("resize") or at the image's own size ("native"), with a note on
// stderr whenever an image is resized.
#pragma once

#include <cstdint>
#include <string>

#include <torch/types.h>
#include <nlohmann/json.hpp>

#include "stegolab/command.hpp"

namespace stegolab::steganography {

// "resize" or "native": the --fit option, else the checkpoint's "resize" field.
std::string fit_mode(const std::string& option, const nlohmann::json& manifest,
                     const std::string& checkpoint);

// The file as NCHW float in [-1, 1] on `device`, at height x width.
torch::Tensor load_at(CommandServices& services, const std::string& file, int64_t height,
                      int64_t width, const std::string& why, torch::Device device);

// The command's first image: at the trained size or at its own size.
torch::Tensor load_first(CommandServices& services, const std::string& file,
                         const std::string& mode, const nlohmann::json& manifest,
                         torch::Device device);

}  // namespace stegolab::steganography
