// The `image_folder` dataset: every PNG/JPEG under a folder, streamed. The
// listing reads only the files' headers; each batch decodes its images on
// worker threads and cuts its samples from them: random crop x crop windows
// at native resolution for training, centre eval_crop windows or whole
// images (`eval_crop: "whole"`) for evaluation, or (`size`) windows of the
// centre square resized, as before.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <torch/torch.h>

#include "decoded_images.hpp"
#include "folder_listing.hpp"
#include "parallel_for.hpp"
#include "sample_framing.hpp"
#include "stegolab/dataset.hpp"
#include "stegolab/errors.hpp"
#include "stegolab/plugin.hpp"

namespace stegolab {
namespace {

const char* const kOwner = "dataset 'image_folder'";

struct FolderSettings {
  std::string path;
  int64_t crop = 0;        // native-resolution windows (training)
  int64_t eval_crop = 0;   // centre windows (evaluation); 0: crop
  bool eval_whole = false;  // evaluation: whole images at their own sizes
  int64_t eval_height = 0;  // both > 0: centre eval_height x eval_width windows instead
  int64_t eval_width = 0;
  int64_t size = 0;        // > 0: centre square resized to size first
  int64_t crops_per_image = 1;
  int64_t min_images = 4;
  int64_t workers = 1;
  int64_t cache_bytes = 0;
  bool recursive = true;
  bool augment_flip = true;
  bool augment_crop = false;  // `size` mode: random windows of a 1.15x larger square
};

// The cores the training step leaves over, within the host's thread budget
// (STEGOLAB_THREADS: tests run several executables at once).
int64_t default_workers() {
  const int64_t cores = std::max<int64_t>(1, std::thread::hardware_concurrency());
  int64_t workers = std::max<int64_t>(1, cores - torch::get_num_threads());
  if (const char* limit = std::getenv("STEGOLAB_THREADS")) {
    const int64_t value = std::atoll(limit);
    if (value > 0) workers = std::min(workers, value);
  }
  return workers;
}

// Keeps the augmentations' stream apart from other streams seeded with the same seed.
constexpr uint64_t kAugmentStream = 0xf01de4ULL;

class ImageFolder : public ImageSource {
 public:
  ImageFolder(const FolderSettings& settings, uint64_t seed)
      : settings_(settings), engine_(seed ^ kAugmentStream) {
    auto listing = list_folder(kOwner, settings_.path, settings_.recursive, settings_.workers);
    for (const auto& file : listing->unreadable) {
      std::cerr << "warning: image_folder: skipping unreadable image '" << file.string() << "'\n";
    }
    const auto count = static_cast<int64_t>(listing->images.size());
    if (count < settings_.min_images) {
      throw PluginError(std::string(kOwner) + ": folder '" + settings_.path + "' has " +
                        std::to_string(count) +
                        " readable PNG/JPEG images, fewer than min_images = " +
                        std::to_string(settings_.min_images));
    }
    const int64_t stored = settings_.augment_crop
                               ? static_cast<int64_t>(std::lround(settings_.size * 1.15))
                               : settings_.size;
    // The listing may be cached under another spelling of the folder: names
    // are taken between absolute paths.
    const std::filesystem::path root =
        std::filesystem::absolute(settings_.path).lexically_normal();
    names_.reserve(listing->images.size());
    for (const auto& image : listing->images) {
      names_.push_back(std::filesystem::absolute(image.file)
                           .lexically_normal()
                           .lexically_relative(root)
                           .generic_string());
    }
    images_ = std::make_unique<DecodedImages>(std::string(kOwner) + " (" + settings_.path + ")",
                                              std::move(listing), stored, settings_.cache_bytes);
  }

  int64_t size() const override { return images_->size(); }
  ImageExtent extent(int64_t index) const override {
    if (index < 0 || index >= size()) return {};
    return images_->listed(index).extent;
  }
  ImageExtent sample_extent(bool augment) const override {
    if (!augment && settings_.eval_whole) return {};
    if (!augment && settings_.size == 0 && settings_.eval_height > 0) {
      return {settings_.eval_height, settings_.eval_width};
    }
    const int64_t side = sample_side(augment);
    return {side, side};
  }
  int64_t crops_per_image() const override { return settings_.crops_per_image; }
  std::string image_name(int64_t index) const override {
    if (index < 0 || index >= size()) {
      throw PluginError(std::string(kOwner) + " (" + settings_.path + "): no image " +
                        std::to_string(index) + " of " + std::to_string(size()));
    }
    return names_[static_cast<size_t>(index)];
  }
  void seed_augmentations(uint64_t seed) override { engine_.seed(seed ^ kAugmentStream); }

  bool whole_image_evaluation() const override { return settings_.eval_whole; }

  torch::Tensor load(const torch::Tensor& indices, torch::Device device, bool augment) override {
    const std::vector<int64_t> wanted = checked_indices(indices);
    if (!augment && settings_.eval_whole) return cut(wanted, common_extent(wanted), {}, device);
    std::vector<SampleDraw> draws;
    if (augment) draws = draw_samples(static_cast<int64_t>(wanted.size()));
    return cut(wanted, sample_extent(augment), draws, device);
  }

  torch::Tensor load_window(const torch::Tensor& indices, ImageExtent window,
                            torch::Device device) override {
    if (window.height < 1 || window.width < 1) {
      throw PluginError(std::string(kOwner) + ": evaluation window " +
                        std::to_string(window.height) + "x" + std::to_string(window.width) +
                        " is empty");
    }
    return cut(checked_indices(indices), window, {}, device);
  }

 private:
  // The samples of `wanted` as `window`s: at `draws` (training, one per
  // sample), else in the centre.
  torch::Tensor cut(const std::vector<int64_t>& wanted, ImageExtent window,
                    const std::vector<SampleDraw>& draws, torch::Device device) {
    const bool augment = !draws.empty();
    const auto n = static_cast<int64_t>(wanted.size());
    // Pinned host memory makes the copy to a GPU asynchronous.
    const auto options = torch::TensorOptions().dtype(torch::kByte).pinned_memory(device.is_cuda());
    torch::Tensor batch = torch::empty({n, window.height, window.width, 3}, options);
    // One decode per distinct image of the call, however many samples it serves.
    std::map<int64_t, std::vector<int64_t>> samples_of;
    for (int64_t slot = 0; slot < n; ++slot) samples_of[wanted[slot]].push_back(slot);
    const std::vector<std::pair<int64_t, std::vector<int64_t>>> jobs(samples_of.begin(),
                                                                     samples_of.end());
    uint8_t* pixels = batch.data_ptr<uint8_t>();
    const bool random_window = augment && (settings_.size == 0 || settings_.augment_crop);
    parallel_for(jobs.size(), settings_.workers, [&](size_t job) {
      const cv::Mat image = images_->get(jobs[job].first);
      for (const int64_t slot : jobs[job].second) {
        SampleDraw draw = augment ? draws[slot] : SampleDraw{};
        if (!random_window) draw.top = draw.left = 0.5;
        write_window(image, window.height, window.width, augment ? &draw : nullptr,
                     pixels + slot * window.height * window.width * 3);
      }
    });
    if (device.is_cpu()) return batch;
    return batch.to(device, /*non_blocking=*/true);
  }

  // The one extent of the images at `wanted`, whole: a caller that loads
  // whole images itself (not through the host's batches of one size) must
  // ask for images of one size.
  ImageExtent common_extent(const std::vector<int64_t>& wanted) const {
    if (wanted.empty()) return {1, 1};
    const ImageExtent first = extent(wanted.front());
    for (const int64_t index : wanted) {
      const ImageExtent other = extent(index);
      if (other != first) {
        throw PluginError(std::string(kOwner) + " (" + settings_.path +
                          "): eval_crop \"whole\": images of different sizes (" +
                          std::to_string(first.height) + "x" + std::to_string(first.width) +
                          ", " + std::to_string(other.height) + "x" +
                          std::to_string(other.width) +
                          ") cannot share one batch; set a numeric eval_crop for this use");
      }
    }
    return first;
  }

  int64_t sample_side(bool augment) const {
    if (settings_.size > 0) return settings_.size;
    return augment || settings_.eval_crop == 0 ? settings_.crop : settings_.eval_crop;
  }

  std::vector<int64_t> checked_indices(const torch::Tensor& indices) const {
    if (indices.dim() != 1 || indices.scalar_type() != torch::kLong) {
      throw PluginError(std::string(kOwner) + ": indices must be a 1-D int64 tensor");
    }
    const torch::Tensor cpu = indices.cpu().contiguous();
    std::vector<int64_t> values(cpu.data_ptr<int64_t>(), cpu.data_ptr<int64_t>() + cpu.numel());
    for (const int64_t index : values) {
      if (index < 0 || index >= size()) {
        throw PluginError(std::string(kOwner) + " (" + settings_.path +
                          "): index out of range [0, " + std::to_string(size()) +
                          "): " + std::to_string(index));
      }
    }
    return values;
  }

  // Three draws per sample, always, so the k-th sample of an epoch gets the
  // same window and flip whatever the batch sizes and worker count.
  std::vector<SampleDraw> draw_samples(int64_t n) {
    auto uniform = [this] { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; };
    std::vector<SampleDraw> draws(static_cast<size_t>(n));
    for (auto& draw : draws) {
      draw.top = uniform();
      draw.left = uniform();
      draw.flip = settings_.augment_flip && (engine_() >> 63) != 0;
    }
    return draws;
  }

  FolderSettings settings_;
  std::unique_ptr<DecodedImages> images_;
  std::vector<std::string> names_;  // of the listed images: paths relative to the folder
  std::mt19937_64 engine_;
};

PluginInfo image_folder_info() {
  PluginInfo info;
  info.version = "2.0";
  info.summary = "every PNG/JPEG under a folder, streamed: native-resolution crops (OpenCV)";
  info.params = {
      {"path", "string", nullptr, "folder with the images"},
      {"crop", "int", 0, "training: random crop x crop windows at native resolution", 0.0, 65536.0},
      {"eval_crop", "any", 0,
       "evaluation: centre eval_crop x eval_crop windows (0: crop), or \"whole\": every image "
       "whole at its own size (the task pads it for its model and measures the original pixels)",
       0.0, 65536.0, {"whole"}},
      {"eval_height", "int", 0,
       "evaluation: with eval_width, centre eval_height x eval_width windows instead (768 x 512 "
       "Kodak-shaped images whole: eval_height 512, eval_width 768)",
       0.0, 65536.0},
      {"eval_width", "int", 0, "evaluation: see eval_height", 0.0, 65536.0},
      {"size", "int", 0,
       "instead of crop: centre square resized to size x size (the behaviour before 2.0)", 0.0,
       65536.0},
      {"crops_per_image", "int", 1, "training: samples cut from each decoded image", 1.0, 1024.0},
      {"workers", "int", 0, "decoding threads (0: the cores the training step leaves over)", 0.0,
       256.0},
      {"cache", "bool", false, "keep decoded images in memory (up to cache_mb)"},
      {"cache_mb", "int", 2048, "memory for the decoded-image cache", 1.0, 1e7},
      {"min_images", "int", 4, "fail when fewer readable images are found", 1.0, 1e9},
      {"recursive", "bool", true, "also read sub-folders"},
      {"augment_flip", "bool", true, "training: random horizontal flips"},
      {"augment_crop", "bool", false,
       "with size: random size x size windows of images resized to 1.15 size"},
  };
  return info;
}

// `eval_crop`: a side in pixels (0: crop) or "whole".
void read_eval_crop(const Params& params, FolderSettings& settings) {
  if (!params.has("eval_crop")) return;
  const nlohmann::json& value = params.get_json("eval_crop");
  if (value.is_string() && value.get<std::string>() == "whole") {
    settings.eval_whole = true;
  } else if (value.is_number()) {
    settings.eval_crop = params.get_int_at_least("eval_crop", 0, 0);
  } else {
    throw ParamError(params.owner() +
                     ": parameter 'eval_crop' must be a side in pixels (0: crop's) or \"whole\", "
                     "got " +
                     value.dump());
  }
}

std::shared_ptr<ImageSource> make_image_folder(const Params& params, const BuildContext& context) {
  FolderSettings settings;
  if (!params.has("path")) throw ParamError(params.owner() + ": missing required parameter 'path'");
  settings.path = params.get_string("path", "");
  settings.crop = params.get_int_at_least("crop", 0, 0);
  read_eval_crop(params, settings);
  settings.size = params.get_int_at_least("size", 0, 0);
  settings.eval_height = params.get_int_at_least("eval_height", 0, 0);
  settings.eval_width = params.get_int_at_least("eval_width", 0, 0);
  if ((settings.eval_height > 0) != (settings.eval_width > 0) ||
      (settings.eval_height > 0 &&
       (settings.eval_crop > 0 || settings.eval_whole || settings.size > 0))) {
    throw ParamError(params.owner() +
                     ": 'eval_height' and 'eval_width' go together, with 'crop' and without "
                     "'eval_crop' or 'size'");
  }
  if ((settings.crop > 0) == (settings.size > 0)) {
    throw ParamError(params.owner() +
                     ": set exactly one of 'crop' (native-resolution windows, e.g. 224) or "
                     "'size' (centre square resized, the behaviour before 2.0)");
  }
  settings.crops_per_image = params.get_int_at_least("crops_per_image", 1, 1);
  const int64_t workers = params.get_int_at_least("workers", 0, 0);
  settings.workers = workers > 0 ? workers : default_workers();
  settings.cache_bytes =
      params.get_bool("cache", false) ? params.get_int_at_least("cache_mb", 2048, 1) << 20 : 0;
  settings.min_images = params.get_int_at_least("min_images", 4, 1);
  settings.recursive = params.get_bool("recursive", true);
  settings.augment_flip = params.get_bool("augment_flip", true);
  settings.augment_crop = params.get_bool("augment_crop", false);
  if (settings.eval_whole && settings.size > 0) {
    throw ParamError(params.owner() +
                     ": 'eval_crop' \"whole\" evaluates native-resolution images; it goes with "
                     "'crop', not with 'size'");
  }
  if (settings.augment_crop && settings.size == 0) {
    throw ParamError(params.owner() + ": 'augment_crop' applies to 'size' only; 'crop' is random");
  }
  return std::make_shared<ImageFolder>(settings, context.seed);
}

}  // namespace
}  // namespace stegolab

STEGOLAB_PLUGIN(stegolab::ImageSource, image_folder, stegolab::image_folder_info,
                stegolab::make_image_folder)
