#include "latent_symbols.hpp"

#include <cmath>
#include <string>

#include <torch/torch.h>

#include "stegolab/errors.hpp"

namespace stegolab {

torch::Tensor channel_indexes(c10::IntArrayRef shape) {
  return torch::arange(shape[1], torch::kInt)
      .reshape({1, -1, 1, 1})
      .expand(shape)
      .contiguous();
}

void encode_symbols(const torch::Tensor& symbols, const torch::Tensor& indexes,
                    const std::vector<CdfTable>& tables, RansEncoder& encoder) {
  const torch::Tensor values = symbols.detach().to(torch::kCPU, torch::kDouble).contiguous();
  const torch::Tensor table_of = indexes.to(torch::kCPU, torch::kInt).contiguous();
  if (values.numel() != table_of.numel()) {
    throw PluginError("entropy coding: " + std::to_string(values.numel()) + " symbols but " +
                      std::to_string(table_of.numel()) + " table indexes");
  }
  const double* value = values.data_ptr<double>();
  const int32_t* index = table_of.data_ptr<int32_t>();
  const auto table_count = static_cast<int32_t>(tables.size());
  for (int64_t i = 0; i < values.numel(); ++i) {
    if (!(std::abs(value[i]) < 1e9)) {
      throw PluginError("entropy coding: latent value " + std::to_string(value[i]) +
                        " is not a codable integer (has the model diverged?)");
    }
    if (index[i] < 0 || index[i] >= table_count) {
      throw PluginError("entropy coding: table index " + std::to_string(index[i]) +
                        " outside the " + std::to_string(table_count) + " tables");
    }
    encoder.encode(static_cast<int32_t>(value[i]), tables[index[i]]);
  }
}

torch::Tensor decode_symbols(RansDecoder& decoder, const torch::Tensor& indexes,
                             const std::vector<CdfTable>& tables) {
  const torch::Tensor table_of = indexes.to(torch::kCPU, torch::kInt).contiguous();
  torch::Tensor symbols = torch::empty(table_of.sizes(), torch::kFloat);
  float* out = symbols.data_ptr<float>();
  const int32_t* index = table_of.data_ptr<int32_t>();
  const auto table_count = static_cast<int32_t>(tables.size());
  for (int64_t i = 0; i < table_of.numel(); ++i) {
    if (index[i] < 0 || index[i] >= table_count) {
      throw PluginError("entropy decoding: table index " + std::to_string(index[i]) +
                        " outside the " + std::to_string(table_count) + " tables");
    }
    out[i] = static_cast<float>(decoder.decode(tables[index[i]]));
  }
  return symbols;
}

std::vector<double> first_masses(const torch::Tensor& row, int64_t count) {
  const torch::Tensor values = row.to(torch::kDouble).contiguous().narrow(0, 0, count);
  const double* data = values.data_ptr<double>();
  return std::vector<double>(data, data + count);
}

}  // namespace stegolab
