// The steganography task's metrics, declared once: what each means, its
// unit, direction, range, colour space and whether it is computed on 8-bit
// values. Names follow <hide|rec>_<measure>[_y][_j][_float], ber[_j][_float]
// and payload_bpp (docs/results.md); _j is secret j of several.
#include "metric_declarations.hpp"

#include <cctype>

#include "secret_images.hpp"

namespace stegolab::steganography {

namespace {

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The name without a trailing secret number "_j".
std::string without_secret_number(const std::string& name) {
  const auto cut = name.rfind('_');
  if (cut == std::string::npos || cut + 1 == name.size()) return name;
  for (size_t i = cut + 1; i < name.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(name[i]))) return name;
  }
  return name.substr(0, cut);
}

// The typed facts of an evaluation metric, from its name: every name below
// follows <hide|rec>_<measure>[_y][_j][_float] or ber[_j][_float].
void describe_image_metric(MetricDeclaration& m) {
  const bool float_path = ends_with(m.name, "_float");
  const std::string base =
      without_secret_number(float_path ? m.name.substr(0, m.name.size() - 6) : m.name);
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

// Several secrets: each recovery measure once more per secret j (the
// measure's own name is then their mean).
void add_per_secret(std::vector<MetricDeclaration>& c) {
  const std::size_t count = c.size();
  for (int64_t j = 1; j <= kMaxSecrets; ++j) {
    for (std::size_t i = 0; i < count; ++i) {
      if (c[i].name.rfind("rec_", 0) != 0 && c[i].name != "ber") continue;
      MetricDeclaration m = c[i];
      m.name += "_" + std::to_string(j);
      m.description = "Secret " + std::to_string(j) + " alone (task.params.secrets above 1; " +
                      c[i].name + " is the mean over the secrets). " + c[i].description;
      c.push_back(m);
    }
  }
}

std::vector<MetricDeclaration> build_declarations() {
  const std::string scale =
      " Images on the 0-255 scale, x255 = round((x + 1) * 127.5) clamped to [0, 255].";
  const std::string psnr_rule =
      " Mean over images of per-image PSNR (10 log10(255^2 / MSE)); identical images (infinite "
      "PSNR) count as 100 dB.";
  std::vector<MetricDeclaration> c = {
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
  add_per_secret(c);
  // eval.quantize_stego = false adds the same measures on the float path:
  // extraction from the unquantised stego, images scaled but not rounded.
  const std::size_t main_count = c.size();
  for (std::size_t i = 0; i < main_count; ++i) {
    MetricDeclaration f = c[i];
    f.name += "_float";
    f.description =
        "Float path (eval.quantize_stego false): stego not quantised before "
        "extraction, stego and recovery scaled to 0-255 and clamped but not rounded "
        "(ber_float still rounds the recovery to 8 bits). Otherwise: " +
        f.description;
    c.push_back(f);
  }
  for (MetricDeclaration& m : c) describe_image_metric(m);
  c.push_back({"payload_bpp",
               "Hidden payload in bits per cover pixel: each secret is a whole image "
               "of the cover's size, 8 bits per channel (24 for RGB, times task.params.secrets).",
               "bpp", "higher"});
  for (MetricDeclaration& m : c) {
    m.summary = m.name == "rec_psnr" ? 1 : m.name == "hide_psnr" ? 2 : m.name == "ber" ? 3 : 0;
    m.digits = m.name == "ber" ? 5 : 2;
  }
  return c;
}

}  // namespace

const std::vector<MetricDeclaration>& metric_declarations() {
  static const std::vector<MetricDeclaration> declarations = build_declarations();
  return declarations;
}

}  // namespace stegolab::steganography
