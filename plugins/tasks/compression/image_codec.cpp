#include "image_codec.hpp"

#include <utility>

#include <torch/torch.h>

#include "codec_stream.hpp"
#include "stegolab/errors.hpp"

namespace stegolab::compression {

namespace {

constexpr uint32_t kFnvOffset = 2166136261u;
constexpr uint32_t kFnvPrime = 16777619u;

void fnv_mix(uint32_t& hash, const void* data, std::size_t size) {
  const auto* bytes = static_cast<const uint8_t*>(data);
  for (std::size_t i = 0; i < size; ++i) hash = (hash ^ bytes[i]) * kFnvPrime;
}

void fnv_mix_tensor(uint32_t& hash, const std::string& name, const torch::Tensor& tensor) {
  fnv_mix(hash, name.data(), name.size());
  const torch::Tensor values = tensor.detach().to(torch::kCPU, torch::kFloat).contiguous();
  for (const int64_t size : values.sizes()) fnv_mix(hash, &size, sizeof size);
  fnv_mix(hash, values.data_ptr(), values.numel() * sizeof(float));
}

int64_t rounded_up(int64_t value, int64_t multiple) {
  return (value + multiple - 1) / multiple * multiple;
}

}  // namespace

uint32_t model_fingerprint(const CodecModel& model) {
  uint32_t hash = kFnvOffset;
  for (const auto& parameter : model.named_parameters()) {
    fnv_mix_tensor(hash, parameter.key(), parameter.value());
  }
  for (const auto& buffer : model.named_buffers()) fnv_mix_tensor(hash, buffer.key(), buffer.value());
  return hash;
}

torch::Tensor pad_to_multiple(const torch::Tensor& image, int64_t alignment) {
  const int64_t bottom = rounded_up(image.size(2), alignment) - image.size(2);
  const int64_t right = rounded_up(image.size(3), alignment) - image.size(3);
  if (bottom == 0 && right == 0) return image;
  namespace F = torch::nn::functional;
  return F::pad(image, F::PadFuncOptions({0, right, 0, bottom}).mode(torch::kReplicate));
}

ImageCodec::ImageCodec(CodecModel& model, std::string plugin)
    : model_(model), plugin_(std::move(plugin)) {
  model_.update_tables();
  fingerprint_ = model_fingerprint(model_);
}

std::vector<uint8_t> ImageCodec::compress(const torch::Tensor& image) const {
  StreamHeader header;
  header.model = plugin_;
  header.fingerprint = fingerprint_;
  header.height = image.size(2);
  header.width = image.size(3);
  return write_stream(header, model_.compress(pad_to_multiple(image, model_.alignment())));
}

torch::Tensor ImageCodec::decompress(const std::vector<uint8_t>& stream,
                                     const std::string& source) const {
  const ParsedStream parsed = read_stream(stream, source);
  if (parsed.header.model != plugin_ || parsed.header.fingerprint != fingerprint_) {
    throw Error(source + ": compressed with another model (" + parsed.header.model +
                ", fingerprint " + std::to_string(parsed.header.fingerprint) + "), not this " +
                plugin_ + " checkpoint (fingerprint " + std::to_string(fingerprint_) + ")");
  }
  const int64_t height = rounded_up(parsed.header.height, model_.alignment());
  const int64_t width = rounded_up(parsed.header.width, model_.alignment());
  torch::Tensor decoded;
  try {
    decoded = model_.decompress(parsed.payload, height, width);
  } catch (const Error& failure) {
    throw Error(source + ": " + failure.what());
  }
  return decoded.narrow(2, 0, parsed.header.height).narrow(3, 0, parsed.header.width);
}

}  // namespace stegolab::compression
