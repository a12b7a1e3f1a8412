#include "external_images.hpp"

#include <cstdio>

#include <torch/torch.h>

#include "../quality_report.hpp"
#include "../steganography_metrics.hpp"
#include "folder_matching.hpp"
#include "stegolab/errors.hpp"
#include "stegolab/pixel_scale.hpp"

namespace stegolab::steganography {

namespace {

std::string size_text(const torch::Tensor& hwc) {
  return std::to_string(hwc.size(1)) + "x" + std::to_string(hwc.size(0));
}

// Folder f's images, each checked against its cover's size.
std::vector<torch::Tensor> read_matched(CommandServices& services, const MatchedFiles& matched,
                                        size_t f, const std::vector<torch::Tensor>& covers) {
  std::vector<torch::Tensor> images;
  for (size_t i = 0; i < matched.names.size(); ++i) {
    const std::string& file = matched.files[f][i];
    images.push_back(services.read_8bit_image(file));
    if (!covers.empty() && images.back().sizes() != covers[i].sizes()) {
      throw Error("evaluate: '" + file + "' is " + size_text(images.back()) + " but its cover '" +
                  matched.files[0][i] + "' is " + size_text(covers[i]) +
                  "; matched images must have the same size");
    }
  }
  return images;
}

torch::Tensor model_image(const torch::Tensor& hwc) { return images_from_uint8(hwc.unsqueeze(0)); }

void add_fnv1a(uint64_t& hash, const uint8_t* bytes, size_t count) {
  for (size_t i = 0; i < count; ++i) {
    hash ^= bytes[i];
    hash *= 1099511628211ULL;
  }
}

}  // namespace

ExternalImages read_external_images(CommandServices& services, const ExternalFolders& folders) {
  std::vector<ImageFolderOption> options = {{"--cover", folders.cover}, {"--stego", folders.stego}};
  if (!folders.secret.empty()) options.push_back({"--secret", folders.secret});
  if (!folders.recovered.empty()) options.push_back({"--recovered", folders.recovered});
  const MatchedFiles matched = match_image_folders(options);
  ExternalImages images;
  images.names = matched.names;
  images.covers = read_matched(services, matched, 0, {});
  for (size_t i = 0; i < images.covers.size(); ++i) {
    check_measurable(model_image(images.covers[i]),
                     "evaluate: the cover '" + matched.files[0][i] + "'");
  }
  images.stegos = read_matched(services, matched, 1, images.covers);
  size_t next = 2;
  if (!folders.secret.empty())
    images.secrets = read_matched(services, matched, next++, images.covers);
  if (!folders.recovered.empty()) {
    images.recovered = read_matched(services, matched, next, images.covers);
  }
  return images;
}

std::vector<std::pair<std::string, double>> external_metrics(const ExternalImages& images,
                                                             const std::string& suffix) {
  SteganographyMetrics metrics;
  for (size_t i = 0; i < images.names.size(); ++i) {
    metrics.add_hiding(model_image(images.covers[i]), model_image(images.stegos[i]));
    if (!images.recovered.empty()) {
      metrics.add_recovery(model_image(images.secrets[i]), model_image(images.recovered[i]),
                           suffix);
    }
  }
  std::vector<std::pair<std::string, double>> means = metrics.means();
  // Each secret a whole RGB image of its cover's size, as the task's.
  if (!images.secrets.empty()) means.emplace_back("payload_bpp", 24.0);
  return means;
}

std::string images_fingerprint(const ExternalImages& images) {
  uint64_t hash = 14695981039346656037ULL;
  for (const std::string& name : images.names) {
    add_fnv1a(hash, reinterpret_cast<const uint8_t*>(name.c_str()), name.size() + 1);
  }
  for (const auto* set : {&images.covers, &images.stegos, &images.secrets}) {
    for (const torch::Tensor& image : *set) {
      const torch::Tensor bytes = image.contiguous();
      add_fnv1a(hash, bytes.data_ptr<uint8_t>(), static_cast<size_t>(bytes.numel()));
    }
  }
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
  return text;
}

std::string images_size(const ExternalImages& images) {
  for (const torch::Tensor& cover : images.covers) {
    if (cover.sizes() != images.covers.front().sizes()) return "mixed";
  }
  return images.covers.empty() ? "" : size_text(images.covers.front());
}

}  // namespace stegolab::steganography
