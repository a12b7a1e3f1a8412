#include "image_codec.hpp"

#include <utility>

#include <torch/torch.h>

#include "codec_stream.hpp"
#include "stegolab/errors.hpp"
#include "stegolab/image_padding.hpp"

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

}  // namespace

uint32_t model_fingerprint(const CodecModel& model) {
  uint32_t hash = kFnvOffset;
  for (const auto& parameter : model.named_parameters()) {
    fnv_mix_tensor(hash, parameter.key(), parameter.value());
  }
  for (const auto& buffer : model.named_buffers()) fnv_mix_tensor(hash, buffer.key(), buffer.value());
  return hash;
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
  return write_stream(header, model_.compress(
      pad_to_multiple(image, model_.alignment(), ImagePadding::replicate)));
}

torch::Tensor ImageCodec::decompress(const std::vector<uint8_t>& stream,
                                     const std::string& source) const {
  const ParsedStream parsed = read_stream(stream, source);
  if (parsed.header.model != plugin_ || parsed.header.fingerprint != fingerprint_) {
    throw Error(source + ": compressed with another model (" + parsed.header.model +
                ", fingerprint " + std::to_string(parsed.header.fingerprint) + "), not this " +
                plugin_ + " checkpoint (fingerprint " + std::to_string(fingerprint_) + ")");
  }
  const int64_t height = rounded_up_to_multiple(parsed.header.height, model_.alignment());
  const int64_t width = rounded_up_to_multiple(parsed.header.width, model_.alignment());
  torch::Tensor decoded;
  try {
    decoded = model_.decompress(parsed.payload, height, width);
  } catch (const Error& failure) {
    throw Error(source + ": " + failure.what());
  }
  return crop_to(decoded, parsed.header.height, parsed.header.width);
}

}  // namespace stegolab::compression
