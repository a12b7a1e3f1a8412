#include "metrics/metric_convention.hpp"

namespace stegolab {

namespace {

std::vector<MetricConvention> build_conventions() {
  const std::string scale =
      " Images on the 0-255 scale, x255 = round((x + 1) * 127.5) clamped to [0, 255].";
  const std::string psnr_rule =
      " Mean over images of per-image PSNR (10 log10(255^2 / MSE)); identical images (infinite "
      "PSNR) count as 100 dB.";
  std::vector<MetricConvention> c = {
      {"hide_psnr", "PSNR of the 8-bit stego against the cover, RGB." + psnr_rule + scale, "dB",
       "higher"},
      {"hide_psnr_y",
       "PSNR of the 8-bit stego against the cover on ITU-R BT.601 luma (computed in float from "
       "the 8-bit RGB, not re-rounded)." + psnr_rule + scale,
       "dB", "higher"},
      {"hide_ssim",
       "SSIM of the 8-bit stego against the cover: Gaussian window 11x11, sigma 1.5, K1 0.01, "
       "K2 0.03, data range 255, valid region, mean over channels, then mean over images." + scale,
       "", "higher"},
      {"hide_mae", "Mean absolute error of the 8-bit stego against the cover, per image then mean "
                   "over images." + scale, "0-255", "lower"},
      {"hide_rmse", "Root mean squared error of the 8-bit stego against the cover, per image then "
                    "mean over images." + scale, "0-255", "lower"},
      {"rec_psnr", "PSNR of the 8-bit recovered secret (extracted from the 8-bit stego) against "
                   "the secret, RGB." + psnr_rule + scale, "dB", "higher"},
      {"rec_psnr_y", "As rec_psnr on ITU-R BT.601 luma (float from the 8-bit RGB)." + psnr_rule +
                         scale, "dB", "higher"},
      {"rec_ssim", "SSIM of the 8-bit recovered secret against the secret (as hide_ssim)." + scale,
       "", "higher"},
      {"rec_mae", "Mean absolute error of the 8-bit recovered secret, per image then mean over "
                  "images." + scale, "0-255", "lower"},
      {"rec_rmse", "Root mean squared error of the 8-bit recovered secret, per image then mean "
                   "over images." + scale, "0-255", "lower"},
      {"ber", "Bit error rate: differing bits between the 8-bit secret and the 8-bit recovered "
              "secret over all bits of the split (8 bits per channel, 24 bpp for RGB); a NaN "
              "recovered value reads as 0.", "fraction",
       "lower"},
  };
  // eval.quantize_stego = false adds the same measures on the float path:
  // extraction from the unquantised stego, images scaled but not rounded.
  const std::size_t main_count = c.size();
  for (std::size_t i = 0; i < main_count; ++i) {
    MetricConvention f = c[i];
    f.metric += "_float";
    f.description = "Float path (eval.quantize_stego false): stego not quantised before "
                    "extraction, stego and recovery scaled to 0-255 and clamped but not rounded "
                    "(ber_float still rounds the recovery to 8 bits). Otherwise: " + f.description;
    c.push_back(f);
  }
  c.push_back({"loss", "Training loss: mean over the epoch's applied optimiser steps of the "
                       "strategy's step loss (mean over micro-batches).", "", "lower"});
  c.push_back({"loss/<term>", "One weighted loss term, averaged like loss.", "", "lower"});
  c.push_back({"lr", "Learning rate of the epoch's last optimiser step.", "", ""});
  c.push_back({"images_per_s", "Training images per second of the epoch's training-loop wall "
                               "time (steps and data waits).", "images/s", "higher"});
  c.push_back({"nonfinite_steps", "Optimiser steps skipped in the epoch because the loss or "
                                  "gradients were inf/NaN.", "steps", "lower"});
  return c;
}

}  // namespace

const std::vector<MetricConvention>& metric_conventions() {
  static const std::vector<MetricConvention> conventions = build_conventions();
  return conventions;
}

std::optional<MetricConvention> find_metric_convention(const std::string& metric) {
  const std::string key = metric.rfind("loss/", 0) == 0 ? "loss/<term>" : metric;
  for (const auto& convention : metric_conventions()) {
    if (convention.metric == key) return convention;
  }
  return std::nullopt;
}

}  // namespace stegolab
