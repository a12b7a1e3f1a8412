// The one reading of a device name, for the experiment file (train.device),
// every command's --device and the plugin commands' services.
#pragma once

#include <string>

#include <torch/types.h>

namespace stegolab {

// Whether `name` is "auto", "cpu", "cuda" or "cuda:N" (N a non-negative integer).
bool is_device_name(const std::string& name);

// "auto" -> cuda if LibTorch sees a CUDA device, else cpu; "cpu"; "cuda";
// "cuda:N". Throws Error("<origin>: ...") for another name or a CUDA device
// this process does not have.
torch::Device parse_device(const std::string& name, const std::string& origin);

// parse_device() as text: "cpu", "cuda" or "cuda:N".
std::string resolve_device(const std::string& name, const std::string& origin);

}  // namespace stegolab
