#include "compression_evaluation.hpp"

#include <cmath>

#include <torch/torch.h>

#include "codec_stream.hpp"
#include "stegolab/image_quality.hpp"
#include "stegolab/pixel_scale.hpp"

namespace stegolab::compression {

namespace {

// Identical images have infinite PSNR; capped so a mean stays informative.
constexpr double kCompressionPsnrCapDb = 100.0;

double estimated_bits(const CodecForward& out) {
  double bits = 0.0;
  for (const auto& [latent, likelihoods] : out.likelihoods.entries()) {
    bits -= torch::log2(likelihoods.to(torch::kDouble)).sum().item<double>();
  }
  return bits;
}

}  // namespace

CompressionEvaluation::CompressionEvaluation(CompressionTask& task)
    : task_(task), codec_(task.model(), task.model_plugin()) {}

void CompressionEvaluation::add(const TensorMap& batch, const PrecisionScope& /*scope*/) {
  torch::NoGradGuard no_grad;
  const torch::Tensor& images = batch.at("image");
  for (int64_t i = 0; i < images.size(0); ++i) {
    const torch::Tensor image = images.narrow(0, i, 1).to(torch::kFloat);
    const double pixels = static_cast<double>(image.size(2) * image.size(3));
    const std::vector<uint8_t> stream = codec_.compress(image);
    const torch::Tensor decoded = codec_.decompress(stream, "evaluation image");
    const double header_bytes = static_cast<double>(stream.size() - read_stream(stream, "").payload.size());
    psnr_sum_ += psnr(to_pixel_scale(decoded, true), to_pixel_scale(image, true), 255.0)
                     .clamp_max(kCompressionPsnrCapDb)
                     .item<double>();
    bpp_sum_ += 8.0 * static_cast<double>(stream.size()) / pixels;
    payload_bpp_sum_ += 8.0 * (static_cast<double>(stream.size()) - header_bytes) / pixels;
    const torch::Tensor padded = pad_to_multiple(image, task_.model().alignment());
    estimated_bpp_sum_ += estimated_bits(task_.forward(padded)) / pixels;
    ++samples_;
  }
}

std::vector<std::pair<std::string, double>> CompressionEvaluation::means() {
  const double n = samples_ > 0 ? static_cast<double>(samples_) : std::nan("");
  const double payload = payload_bpp_sum_ / n;
  const double estimated = estimated_bpp_sum_ / n;
  return {{"psnr", psnr_sum_ / n},
          {"bpp", bpp_sum_ / n},
          {"bpp_payload", payload},
          {"bpp_estimated", estimated},
          {"bpp_gap_percent", 100.0 * (payload - estimated) / estimated}};
}

}  // namespace stegolab::compression
