// Evaluation metrics of one split, accumulated on the device batch by batch.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <torch/types.h>

namespace stegolab::steganography {

// Sums per-image measures on the images' device; only means() crosses to the
// host, once. Definitions and names: metric_declarations.cpp.
class SteganographyMetrics {
 public:
  // All NCHW float in [-1, 1], one batch. cover and secret are the 8-bit
  // inputs; stego is what the recovery was extracted from (already quantised
  // on the 8-bit path), recovered the model's output. cover and stego: C
  // channels; secret and recovered: `secrets` images along the channels
  // (k*C). `quantize`: the 8-bit path (rounded 0-255 values, names without
  // suffix) or the float path (clamped, unrounded; names get `suffix`, e.g.
  // "_float"). With several secrets the recovery metrics under their usual
  // names are the mean over every secret, and each secret j adds its own
  // (rec_psnr_j, ..., ber_j, then the suffix).
  void add(const torch::Tensor& cover, const torch::Tensor& secret, const torch::Tensor& stego,
           const torch::Tensor& recovered, bool quantize, const std::string& suffix = "",
           int64_t secrets = 1);
  // The hiding metrics alone (hide_*; 8-bit path, with the literature's
  // measures) of cover and stego, NCHW in [-1, 1] of one shape: images
  // measured as files, with no recovery beside them.
  void add_hiding(const torch::Tensor& cover, const torch::Tensor& stego);
  // The recovery metrics alone (rec_*, ber; 8-bit path, with the
  // literature's measures), names suffixed: under an attack, "@jpeg(q=90)".
  // secret and recovered as in add(); with several secrets only their mean
  // is recorded.
  void add_recovery(const torch::Tensor& secret, const torch::Tensor& recovered,
                    const std::string& suffix, int64_t secrets = 1);

  // Mean of each metric over all images added (ber: over all bits), in a
  // fixed order. One device-to-host copy.
  std::vector<std::pair<std::string, double>> means() const;

  int64_t images(const std::string& suffix = "") const;

 private:
  void accumulate(const std::string& name, const torch::Tensor& sum, double denominator);
  void add_quality(const std::string& prefix, const torch::Tensor& reference,
                   const torch::Tensor& candidate, const std::string& suffix, bool literature);
  // The literature's measures (MATLAB Y-PSNR, MS-SSIM, APD), 8-bit values only.
  void add_literature_quality(const std::string& prefix, const torch::Tensor& reference,
                              const torch::Tensor& candidate, const std::string& suffix);
  // Recovery quality and bit errors of one stack of secrets (NCHW, [-1, 1]);
  // the literature's measures on the 8-bit path only.
  void add_recovery_stack(const torch::Tensor& secret, const torch::Tensor& recovered,
                          bool quantize, const std::string& suffix);
  void add_bit_errors(const torch::Tensor& secret_px, const torch::Tensor& recovered,
                      const std::string& suffix);

  struct Entry {
    std::string name;
    torch::Tensor sum;         // 0-dim fp64 on the device
    double denominator = 0.0;  // images (bits for ber), known on the host from shapes
  };
  std::vector<Entry> entries_;
  torch::Tensor popcount_;  // set bits of 0..255, on the images' device (built once)
};

}  // namespace stegolab::steganography
