#include "metrics/metric_convention.hpp"

namespace stegolab {

namespace {

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The typed facts of an evaluation metric, from its name: every name below
// follows <hide|rec>_<measure>[_y][_float] or ber[_float].
void describe_image_metric(MetricConvention& m) {
  const bool float_path = ends_with(m.metric, "_float");
  const std::string base = float_path ? m.metric.substr(0, m.metric.size() - 6) : m.metric;
  m.colour_space = ends_with(base, "_y") ? "Y" : "RGB";
  // BER compares 8-bit values on both paths.
  m.quantised = base == "ber" || !float_path;
  m.range_min = 0.0;
  if (base.find("psnr") != std::string::npos) {
    m.range_max = 100.0;  // the cap of identical images
  } else if (base.find("ssim") != std::string::npos) {
    m.range_min = -1.0;
    m.range_max = 1.0;
  } else if (base == "ber") {
    m.range_max = 1.0;
  } else {
    m.range_max = 255.0;  // MAE, RMSE on the 0-255 scale
  }
}

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
       "the 8-bit RGB, not re-rounded)." +
           psnr_rule + scale,
       "dB", "higher"},
      {"hide_ssim",
       "SSIM of the 8-bit stego against the cover: Gaussian window 11x11, sigma 1.5, K1 0.01, "
       "K2 0.03, data range 255, valid region, mean over channels, then mean over images." +
           scale,
       "", "higher"},
      {"hide_mae",
       "Mean absolute error of the 8-bit stego against the cover, per image then mean "
       "over images." +
           scale,
       "0-255", "lower"},
      {"hide_rmse",
       "Root mean squared error of the 8-bit stego against the cover, per image then "
       "mean over images." +
           scale,
       "0-255", "lower"},
      {"rec_psnr",
       "PSNR of the 8-bit recovered secret (extracted from the 8-bit stego) against "
       "the secret, RGB." +
           psnr_rule + scale,
       "dB", "higher"},
      {"rec_psnr_y",
       "As rec_psnr on ITU-R BT.601 luma (float from the 8-bit RGB)." + psnr_rule + scale, "dB",
       "higher"},
      {"rec_ssim", "SSIM of the 8-bit recovered secret against the secret (as hide_ssim)." + scale,
       "", "higher"},
      {"rec_mae",
       "Mean absolute error of the 8-bit recovered secret, per image then mean over "
       "images." +
           scale,
       "0-255", "lower"},
      {"rec_rmse",
       "Root mean squared error of the 8-bit recovered secret, per image then mean "
       "over images." +
           scale,
       "0-255", "lower"},
      {"ber",
       "Bit error rate: differing bits between the 8-bit secret and the 8-bit recovered "
       "secret over all bits of the split (8 bits per channel, 24 bpp for RGB); every bit "
       "of a NaN recovered value counts as wrong.",
       "fraction", "lower"},
  };
  // eval.quantize_stego = false adds the same measures on the float path:
  // extraction from the unquantised stego, images scaled but not rounded.
  const std::size_t main_count = c.size();
  for (std::size_t i = 0; i < main_count; ++i) {
    MetricConvention f = c[i];
    f.metric += "_float";
    f.description =
        "Float path (eval.quantize_stego false): stego not quantised before "
        "extraction, stego and recovery scaled to 0-255 and clamped but not rounded "
        "(ber_float still rounds the recovery to 8 bits). Otherwise: " +
        f.description;
    c.push_back(f);
  }
  for (MetricConvention& m : c) describe_image_metric(m);
  c.push_back({"loss",
               "Training loss: mean over the epoch's applied optimiser steps of the "
               "strategy's step loss (mean over micro-batches).",
               "", "lower"});
  c.push_back({"loss/<term>", "One weighted loss term, averaged like loss.", "", "lower"});
  c.push_back({"lr", "Learning rate of the epoch's last optimiser step.", "", ""});
  c.push_back({"images_per_s",
               "Images per second. Split train: training images over the epoch's "
               "training-loop wall time (steps and data waits). Splits val and "
               "test: evaluated images over the evaluation's wall time (embed, "
               "8-bit quantisation, extract, metrics).",
               "images/s", "higher"});
  c.push_back({"step_time_ms",
               "Mean wall time of the epoch's optimiser steps, data waits "
               "excluded.",
               "ms", "lower"});
  c.push_back({"data_wait_ms", "Mean time per optimiser step spent waiting for the next batch.",
               "ms", "lower"});
  c.push_back({"nonfinite_steps",
               "Optimiser steps skipped in the epoch because the loss or "
               "gradients were inf/NaN (fp16 loss-scale overflows excluded).",
               "steps", "lower"});
  c.push_back({"exploded_steps",
               "Optimiser steps skipped in the epoch because the finite loss "
               "exceeded train.explode_factor x the median of the recent losses.",
               "steps", "lower"});
  c.push_back({"overflow_steps",
               "fp16: optimiser steps skipped in the epoch because the scaled "
               "gradients overflowed (the loss scale was halved).",
               "steps", "lower"});
  c.push_back({"payload_bpp",
               "Hidden payload in bits per cover pixel: the secret is a whole image "
               "of the cover's size, 8 bits per channel (24 for RGB).",
               "bpp", "higher"});
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
