#include "device/device_name.hpp"

#include <algorithm>
#include <cctype>

#include <torch/cuda.h>

#include "stegolab/errors.hpp"

namespace stegolab {

namespace {

bool is_index(const std::string& text) {
  return !text.empty() && text.size() < 6 && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
  });
}

}  // namespace

bool is_device_name(const std::string& name) {
  return name == "auto" || name == "cpu" || name == "cuda" ||
         (name.rfind("cuda:", 0) == 0 && is_index(name.substr(5)));
}

torch::Device parse_device(const std::string& name, const std::string& origin) {
  if (!is_device_name(name)) {
    throw Error(origin + ": expected \"cpu\", \"cuda\", \"cuda:N\" or \"auto\", got \"" + name +
                "\"");
  }
  const bool cuda = torch::cuda::is_available();
  if (name == "auto") return cuda ? torch::Device(torch::kCUDA) : torch::Device(torch::kCPU);
  if (name == "cpu") return torch::kCPU;
  if (!cuda) {
    throw Error(origin + ": device \"" + name +
                "\" requested, but LibTorch sees no CUDA device (use \"cpu\" or \"auto\")");
  }
  if (name == "cuda") return torch::Device(torch::kCUDA);
  const auto index = std::stol(name.substr(5));
  if (index >= static_cast<long>(torch::cuda::device_count())) {
    throw Error(origin + ": device \"" + name + "\" requested, but LibTorch sees " +
                std::to_string(torch::cuda::device_count()) + " CUDA device(s)");
  }
  return torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(index));
}

std::string resolve_device(const std::string& name, const std::string& origin) {
  return parse_device(name, origin).str();
}

}  // namespace stegolab
