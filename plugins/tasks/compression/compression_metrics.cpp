#include "compression_metrics.hpp"

namespace stegolab::compression {

namespace {

const std::string kPerImage = " Mean over the test images.";

// The anchor's copy of a quality or rate metric: "<name>@<anchor>".
MetricDeclaration of_anchor(MetricDeclaration m, const std::string& what) {
  m.name += "@<anchor>";
  m.description = "Of the JPEG anchor (task parameter anchor_jpeg_qualities), named by its "
                  "label, e.g. @jpeg(q=50): the test image through OpenCV's JPEG at that "
                  "quality, " + what + ". Otherwise as " + m.description;
  m.summary = 0;
  return m;
}

}  // namespace

std::vector<MetricDeclaration> compression_metric_declarations() {
  MetricDeclaration psnr{"psnr",
                         "PSNR of the 8-bit image decoded from the stream against the 8-bit "
                         "original, RGB, 10 log10(255^2 / MSE), capped at 100 dB." +
                             kPerImage,
                         "dB", "higher", 0.0, 100.0, "RGB", true, 1, 2};
  MetricDeclaration ms_ssim{"ms_ssim",
                            "MS-SSIM (the SDK's ms_ssim: 5 scales, fewer on images under 176 "
                            "px) of the 8-bit decoded image against the 8-bit original, RGB, "
                            "data range 255; left out for images under 11 px." +
                                kPerImage,
                            "", "higher", 0.0, 1.0, "RGB", true, 0, 4};
  MetricDeclaration bpp{"bpp",
                        "Bits per pixel of the whole stream file, header included: 8 * bytes / "
                        "(height * width) of the unpadded image." +
                            kPerImage,
                        "bits/pixel", "lower", 0.0, std::nullopt, "", std::nullopt, 2, 4};
  MetricDeclaration payload{"bpp_payload",
                            "Bits per pixel of the entropy-coded payload alone (the stream "
                            "without its header)." +
                                kPerImage,
                            "bits/pixel", "lower", 0.0, std::nullopt, "", std::nullopt, 0, 4};
  MetricDeclaration estimated{"bpp_estimated",
                              "Bits per pixel the likelihoods estimate, -sum(log2 p) / pixels, "
                              "evaluation mode (rounded latents) on the same padded image." +
                                  kPerImage,
                              "bits/pixel", "lower", 0.0, std::nullopt, "", std::nullopt, 3, 4};
  MetricDeclaration gap{"bpp_gap_percent",
                        "100 * (mean bpp_payload - mean bpp_estimated) / mean bpp_estimated: "
                        "what real coding costs beyond the estimate.",
                        "%", "", std::nullopt, std::nullopt, "", std::nullopt, 4, 2};
  MetricDeclaration encode{"encode_ms",
                           "Wall time to compress one image to its stream (padding, analysis "
                           "transform, entropy coding), on the trial's device and threads." +
                               kPerImage,
                           "ms", "lower", 0.0, std::nullopt, "", std::nullopt, 0, 1};
  MetricDeclaration decode{"decode_ms",
                           "Wall time to decode one stream to its image (entropy decoding, "
                           "synthesis transform, cropping)." +
                               kPerImage,
                           "ms", "lower", 0.0, std::nullopt, "", std::nullopt, 0, 1};
  return {psnr,
          ms_ssim,
          bpp,
          payload,
          estimated,
          gap,
          encode,
          decode,
          of_anchor(psnr, "decoded"),
          of_anchor(ms_ssim, "decoded"),
          of_anchor(bpp, "its whole JPEG file (headers included) as the rate")};
}

}  // namespace stegolab::compression
