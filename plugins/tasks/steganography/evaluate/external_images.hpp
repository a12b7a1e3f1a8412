// Another method's images as files, for `stegolab evaluate`: covers and
// stegos, and, when given, secrets and recovered secrets, matched by name
// (folder_matching.hpp), every file 8-bit and of its cover's size. Measured
// with the task's own metric code, as a trial's test split is.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <torch/types.h>

#include "stegolab/command.hpp"

namespace stegolab::steganography {

struct ExternalFolders {
  std::string cover, stego;
  std::string secret, recovered;  // "": not given
};

struct ExternalImages {
  std::vector<std::string> names;  // sorted
  // uint8 [H, W, 3] each, index i = names[i]; secrets and recovered empty
  // when their folder was not given.
  std::vector<torch::Tensor> covers, stegos, secrets, recovered;
};

// Throws Error (one line, naming the files) for unmatched names, a file
// whose samples are not 8-bit, an image whose size differs from its
// cover's, and images too small for SSIM's window.
ExternalImages read_external_images(CommandServices& services, const ExternalFolders& folders);

// hide_* of every stego against its cover (the 8-bit path with the
// literature's measures); with recovered secrets, rec_* and ber against the
// secrets, named with `suffix` ("@jpeg(q=90)": recovered from attacked
// stegos); with secrets, payload_bpp. Means over the images, as a trial's.
std::vector<std::pair<std::string, double>> external_metrics(const ExternalImages& images,
                                                             const std::string& suffix);

// FNV-1a (64 bit, hex) of the names and pixels of the covers, stegos and
// secrets: whether a second evaluation under one name measures the same
// images.
std::string images_fingerprint(const ExternalImages& images);

// "256x256", or "mixed" when the covers differ in size.
std::string images_size(const ExternalImages& images);

}  // namespace stegolab::steganography
