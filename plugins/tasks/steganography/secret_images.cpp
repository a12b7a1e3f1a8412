#include "secret_images.hpp"

#include <torch/torch.h>

namespace stegolab::steganography {

std::vector<std::string> secret_names(int64_t secrets) {
  if (secrets == 1) return {"secret"};
  std::vector<std::string> names;
  for (int64_t j = 1; j <= secrets; ++j) names.push_back("secret_" + std::to_string(j));
  return names;
}

torch::Tensor secrets_along_channels(const TensorMap& batch, int64_t secrets) {
  std::vector<torch::Tensor> images;
  for (const std::string& name : secret_names(secrets)) images.push_back(batch.at(name));
  return secrets == 1 ? images.front() : torch::cat(images, 1);
}

torch::Tensor secrets_along_batch(const torch::Tensor& along_channels, int64_t secrets) {
  if (secrets == 1) return along_channels;
  return torch::cat(each_secret(along_channels, secrets), 0);
}

std::vector<torch::Tensor> each_secret(const torch::Tensor& along_channels, int64_t secrets) {
  return along_channels.chunk(secrets, 1);
}

}  // namespace stegolab::steganography
