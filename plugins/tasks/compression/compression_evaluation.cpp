#include "compression_evaluation.hpp"

#include <chrono>
#include <cmath>

#include <torch/torch.h>

#include "codec_stream.hpp"
#include "jpeg_anchor.hpp"
#include "stegolab/image_padding.hpp"
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

double milliseconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

double pixels_of(const torch::Tensor& image) {
  return static_cast<double>(image.size(2) * image.size(3));
}

}  // namespace

CompressionEvaluation::CompressionEvaluation(CompressionTask& task)
    : task_(task), codec_(task.model(), task.model_plugin()) {}

void CompressionEvaluation::add(const TensorMap& batch, const PrecisionScope& /*scope*/) {
  torch::NoGradGuard no_grad;
  const torch::Tensor& images = batch.at("image");
  for (int64_t i = 0; i < images.size(0); ++i) {
    const torch::Tensor image = images.narrow(0, i, 1).to(torch::kFloat);
    measure_codec(image);
    for (const int quality : task_.anchor_jpeg_qualities()) measure_anchor(image, quality);
    ++samples_;
  }
}

void CompressionEvaluation::measure_codec(const torch::Tensor& image) {
  const double pixels = pixels_of(image);
  // A device's queue would hide the work from the clock: wait for it.
  const bool cuda = image.is_cuda();
  if (cuda) torch::cuda::synchronize();
  auto start = std::chrono::steady_clock::now();
  const std::vector<uint8_t> stream = codec_.compress(image);
  sums_["encode_ms"] += milliseconds_since(start);
  start = std::chrono::steady_clock::now();
  const torch::Tensor decoded = codec_.decompress(stream, "evaluation image");
  if (cuda) torch::cuda::synchronize();
  sums_["decode_ms"] += milliseconds_since(start);
  const double header_bytes =
      static_cast<double>(stream.size() - read_stream(stream, "").payload.size());
  measure_quality(decoded, image, "");
  sums_["bpp"] += 8.0 * static_cast<double>(stream.size()) / pixels;
  sums_["bpp_payload"] += 8.0 * (static_cast<double>(stream.size()) - header_bytes) / pixels;
  const torch::Tensor padded =
      pad_to_multiple(image, task_.model().alignment(), ImagePadding::replicate);
  sums_["bpp_estimated"] += estimated_bits(task_.forward(padded)) / pixels;
}

void CompressionEvaluation::measure_anchor(const torch::Tensor& image, int quality) {
  const std::string suffix = "@" + jpeg_anchor_label(quality);
  const JpegRoundTrip jpeg = jpeg_round_trip(image, quality);
  measure_quality(jpeg.decoded, image, suffix);
  sums_["bpp" + suffix] += 8.0 * static_cast<double>(jpeg.bytes) / pixels_of(image);
}

void CompressionEvaluation::measure_quality(const torch::Tensor& decoded,
                                            const torch::Tensor& image,
                                            const std::string& suffix) {
  const torch::Tensor a = to_pixel_scale(decoded, true);
  const torch::Tensor b = to_pixel_scale(image, true);
  sums_["psnr" + suffix] +=
      psnr(a, b, 255.0).clamp_max(kCompressionPsnrCapDb).item<double>();
  if (ms_ssim_scales(image.size(2), image.size(3)) > 0) {
    sums_["ms_ssim" + suffix] += ms_ssim(a, b, 255.0).item<double>();
  }
}

std::vector<std::pair<std::string, double>> CompressionEvaluation::means() {
  const double n = samples_ > 0 ? static_cast<double>(samples_) : std::nan("");
  std::vector<std::pair<std::string, double>> result;
  // The learned codec's metrics first, in the declarations' order; a metric
  // the images were too small for (ms_ssim) is left out.
  for (const char* name : {"psnr", "ms_ssim", "bpp", "bpp_payload", "bpp_estimated", "encode_ms",
                           "decode_ms"}) {
    const auto found = sums_.find(name);
    if (found != sums_.end() || samples_ == 0) {
      result.emplace_back(name, found != sums_.end() ? found->second / n : std::nan(""));
    }
  }
  const double payload = sums_["bpp_payload"] / n;
  const double estimated = sums_["bpp_estimated"] / n;
  result.emplace_back("bpp_gap_percent", 100.0 * (payload - estimated) / estimated);
  for (const auto& [name, sum] : sums_) {
    if (name.find('@') != std::string::npos) result.emplace_back(name, sum / n);
  }
  return result;
}

}  // namespace stegolab::compression
