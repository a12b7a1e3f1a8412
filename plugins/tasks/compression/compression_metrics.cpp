#include "compression_metrics.hpp"

namespace stegolab::compression {

std::vector<MetricDeclaration> compression_metric_declarations() {
  const std::string per_image = " Mean over the test images.";
  MetricDeclaration psnr{"psnr",
                         "PSNR of the 8-bit image decoded from the stream against the 8-bit "
                         "original, RGB, 10 log10(255^2 / MSE), capped at 100 dB." +
                             per_image,
                         "dB", "higher", 0.0, 100.0, "RGB", true, 1, 2};
  MetricDeclaration bpp{"bpp",
                        "Bits per pixel of the whole stream file, header included: 8 * bytes / "
                        "(height * width) of the unpadded image." +
                            per_image,
                        "bits/pixel", "lower", 0.0, std::nullopt, "", std::nullopt, 2, 4};
  MetricDeclaration payload{"bpp_payload",
                            "Bits per pixel of the entropy-coded payload alone (the stream "
                            "without its header)." +
                                per_image,
                            "bits/pixel", "lower", 0.0, std::nullopt, "", std::nullopt, 0, 4};
  MetricDeclaration estimated{"bpp_estimated",
                              "Bits per pixel the likelihoods estimate, -sum(log2 p) / pixels, "
                              "evaluation mode (rounded latents) on the same padded image." +
                                  per_image,
                              "bits/pixel", "lower", 0.0, std::nullopt, "", std::nullopt, 3, 4};
  MetricDeclaration gap{"bpp_gap_percent",
                        "100 * (mean bpp_payload - mean bpp_estimated) / mean bpp_estimated: "
                        "what real coding costs beyond the estimate.",
                        "%", "", std::nullopt, std::nullopt, "", std::nullopt, 4, 2};
  return {psnr, bpp, payload, estimated, gap};
}

}  // namespace stegolab::compression
