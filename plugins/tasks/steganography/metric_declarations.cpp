// The steganography task's metrics, declared once: what each means, its
// unit, direction, range, colour space and whether it is computed on 8-bit
// values. Names follow <hide|rec>_<measure>[_j][_float], ber[_j][_float],
// the recovery's under an attack <measure>@<attack> and payload_bpp
// (docs/results.md); _j is secret j of several.
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
// follows <hide|rec>_<measure>[_j][_float] or ber[_j][_float], then
// possibly @<attack>.
void describe_image_metric(MetricDeclaration& m) {
  const std::string name = m.name.substr(0, m.name.find('@'));
  const bool float_path = ends_with(name, "_float");
  const std::string base =
      without_secret_number(float_path ? name.substr(0, name.size() - 6) : name);
  // The database allows RGB or Y: which luma (full range or MATLAB's studio
  // range) is said by the name and the description.
  m.colour_space = ends_with(base, "_y") || ends_with(base, "_y_matlab") ? "Y" : "RGB";
  // BER compares 8-bit values on both paths.
  m.quantised = base == "ber" || !float_path;
  m.range_min = 0.0;
  if (base.find("psnr") != std::string::npos) {
    m.range_max = 100.0;  // the cap of identical images
  } else if (base.find("ms_ssim") != std::string::npos) {
    m.range_max = 1.0;  // factors clamped at 0 before their powers
  } else if (base.find("ssim") != std::string::npos) {
    m.range_min = -1.0;
    m.range_max = 1.0;
  } else if (base == "ber") {
    m.range_max = 1.0;
  } else {
    m.range_max = 255.0;  // APD, MAE, RMSE on the 0-255 scale
  }
}

// The measures in the literature's conventions (MATLAB Y, MS-SSIM, APD),
// on the 8-bit path only: the float path keeps its original set.
std::vector<MetricDeclaration> literature_declarations(const std::string& scale,
                                                       const std::string& psnr_rule) {
  return {
      {"hide_psnr_y_matlab",
       "PSNR of the 8-bit stego against the cover on studio-range BT.601 luma as MATLAB's "
       "rgb2ycbcr computes it, Y = 16 + (65.481 R + 128.553 G + 24.966 B) / 255 (computed in "
       "float from the 8-bit RGB, not re-rounded): the Y-PSNR of HiNet, ISN and DeepMIH. "
       "RGB images only." +
           psnr_rule + scale,
       "dB", "higher"},
      {"hide_ms_ssim",
       "MS-SSIM (Wang et al. 2003) of the 8-bit stego against the cover: 5 scales, weights "
       "0.0448 0.2856 0.3001 0.2363 0.1333, 2x2 average between scales, SSIM's window and "
       "constants, data range 255; images too small for 5 scales (under 176 px) use the "
       "scales that hold the 11x11 window, weights renormalised to sum 1." +
           scale,
       "", "higher"},
      {"hide_apd",
       "APD, average pixel discrepancy: mean absolute difference of the 8-bit stego and the "
       "cover over all pixels and channels, per image then mean over images." +
           scale,
       "0-255", "lower"},
      {"rec_psnr_y_matlab",
       "As rec_psnr on studio-range luma as MATLAB's rgb2ycbcr computes it (as "
       "hide_psnr_y_matlab): the literature's Y-PSNR." +
           psnr_rule + scale,
       "dB", "higher"},
      {"rec_ms_ssim",
       "MS-SSIM of the 8-bit recovered secret against the secret (as hide_ms_ssim)." + scale, "",
       "higher"},
      {"rec_apd", "APD of the 8-bit recovered secret against the secret (as hide_apd)." + scale,
       "0-255", "lower"},
  };
}

// The recovery measures under each evaluation attack: one declaration per
// measure, named <measure>@<attack>; results carry the attack's label there.
std::vector<MetricDeclaration> attacked_declarations(const std::vector<MetricDeclaration>& all) {
  std::vector<MetricDeclaration> attacked;
  for (const MetricDeclaration& m : all) {
    if ((m.name.rfind("rec_", 0) != 0 && m.name != "ber") || ends_with(m.name, "_float")) continue;
    // With several secrets an attack is measured on their mean only.
    if (without_secret_number(m.name) != m.name) continue;
    MetricDeclaration a = m;
    a.name += "@<attack>";
    a.description =
        "Under one evaluation attack (task parameter attacks, or eval.attacks), named by its "
        "label, e.g. @jpeg(q=90): the 8-bit stego passes through the attack, the result is "
        "rounded to 8 bits again (a received file) and the secret extracted from it. "
        "Otherwise: " +
        m.description;
    attacked.push_back(a);
  }
  return attacked;
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
       "PSNR of the 8-bit stego against the cover on full-range ITU-R BT.601 luma, Y = 0.299 R "
       "+ 0.587 G + 0.114 B (float from the 8-bit RGB, not re-rounded); not the literature's "
       "Y-PSNR (hide_psnr_y_matlab reads about 1.3 dB higher). A grey image's luma is itself." +
           psnr_rule + scale,
       "dB", "higher"},
      {"hide_ssim",
       "SSIM of the 8-bit stego against the cover: Gaussian window 11x11, sigma 1.5, K1 0.01, "
       "K2 0.03, data range 255, valid region, mean over channels, then mean over images." +
           scale,
       "", "higher"},
      {"hide_mae", "The same value as hide_apd, under its earlier name." + scale, "0-255",
       "lower"},
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
       "As rec_psnr on full-range ITU-R BT.601 luma (as hide_psnr_y); not the literature's "
       "Y-PSNR." +
           psnr_rule + scale,
       "dB", "higher"},
      {"rec_ssim", "SSIM of the 8-bit recovered secret against the secret (as hide_ssim)." + scale,
       "", "higher"},
      {"rec_mae", "The same value as rec_apd, under its earlier name." + scale, "0-255",
       "lower"},
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
  // The literature's measures exist on the 8-bit path only, per secret too.
  std::vector<MetricDeclaration> literature = literature_declarations(scale, psnr_rule);
  add_per_secret(literature);
  for (MetricDeclaration& m : literature) c.push_back(m);
  for (MetricDeclaration& m : attacked_declarations(c)) c.push_back(m);
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
