#include "gallery/gallery_writer.hpp"

#include <cstdio>
#include <set>

#include <torch/torch.h>

#include "data/batch_pipeline.hpp"
#include "image_io/image_io.hpp"

namespace stegolab {

namespace {

bool file_name_word(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// The task's panels of one batch of `samples` samples, checked.
void check_panels(const std::vector<GalleryPanel>& panels, int64_t samples,
                  const std::string& task_name) {
  if (panels.empty()) throw PluginError(task_name + ": gallery() returned no panels");
  std::set<std::string> names;
  for (const GalleryPanel& panel : panels) {
    const std::string what = task_name + ": gallery() panel '" + panel.name + "'";
    if (!file_name_word(panel.name)) {
      throw PluginError(what + ": a panel name must be 1-64 letters, digits, '_' or '-'");
    }
    if (!names.insert(panel.name).second) throw PluginError(what + " is named twice");
    const torch::Tensor& p = panel.pixels;
    if (!p.defined() || p.scalar_type() != torch::kUInt8 || p.dim() != 4 || p.size(0) != samples ||
        (p.size(3) != 1 && p.size(3) != 3)) {
      throw PluginError(
          what + ": expected uint8 [" + std::to_string(samples) + ", H, W, 1 or 3] pixels, got " +
          (p.defined() ? std::string(c10::toString(p.scalar_type())) + " " + c10::str(p.sizes())
                       : std::string("an undefined tensor")));
    }
  }
}

// The first `count` entries of every sample list.
TensorMap first_samples(const TensorMap& samples, int64_t count) {
  TensorMap first;
  for (const auto& [name, list] : samples.entries()) {
    first.set(name, list.slice(0, 0, std::min<int64_t>(count, list.size(0))));
  }
  return first;
}

std::string sample_file(int64_t sample, const std::string& panel) {
  char prefix[32];
  std::snprintf(prefix, sizeof prefix, "%03lld_", static_cast<long long>(sample));
  return prefix + panel + ".png";
}

void empty_folder(const std::filesystem::path& folder) {
  std::error_code ec;
  std::filesystem::remove_all(folder, ec);
  std::filesystem::create_directories(folder, ec);
  if (ec) {
    throw ImageFileError("cannot create the gallery folder '" + folder.string() +
                         "': " + ec.message());
  }
}

}  // namespace

std::vector<GalleryImage> write_gallery(Task& task, const std::string& task_name,
                                        std::shared_ptr<ImageSource> source, torch::Device device,
                                        const PrecisionScope& scope,
                                        const GalleryRequest& request) {
  std::vector<GalleryImage> images;
  if (request.count <= 0 || request.indices.size(0) == 0) return images;
  const TensorMap samples = first_samples(
      task.evaluation_samples_of(split_name(request.split), request.indices), request.count);
  BatchPipeline pipeline(std::move(source), device, /*augment=*/false, samples, request.batch_size,
                         /*drop_last=*/false);
  empty_folder(request.folder);
  int64_t first = 0;
  while (std::optional<TensorMap> batch = pipeline.next()) {
    const int64_t size = batch->entries().front().second.size(0);
    const std::vector<GalleryPanel> panels = task.gallery(*batch, scope);
    check_panels(panels, size, task_name);
    for (int64_t position = 0; position < static_cast<int64_t>(panels.size()); ++position) {
      const GalleryPanel& panel = panels[static_cast<size_t>(position)];
      const torch::Tensor pixels = panel.pixels.cpu();
      for (int64_t i = 0; i < size; ++i) {
        torch::Tensor picture = pixels[i];
        if (picture.size(2) == 1) picture = picture.expand({-1, -1, 3});
        const std::filesystem::path file = request.folder / sample_file(first + i, panel.name);
        write_image(file, picture.contiguous());
        images.push_back({request.split, first + i, position, panel.name, panel.caption, file,
                          picture.size(1), picture.size(0)});
      }
    }
    first += size;
  }
  return images;
}

}  // namespace stegolab
