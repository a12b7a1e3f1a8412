// The `image_folder` dataset: every PNG/JPEG under a folder, decoded, centre-
// cropped to a square and resized once, then served from one uint8 tensor.
// Decoding is the slow part, so it runs once, on several threads.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <torch/torch.h>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "stegolab/dataset.hpp"
#include "stegolab/errors.hpp"
#include "stegolab/plugin.hpp"

namespace stegolab {
namespace {

namespace fs = std::filesystem;

struct FolderSettings {
  std::string path;
  int64_t size = 256;
  int64_t min_images = 4;
  bool recursive = true;
  bool augment_flip = true;
  bool augment_crop = false;
};

bool is_image_file(const fs::path& file) {
  std::string extension = file.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  return extension == ".png" || extension == ".jpg" || extension == ".jpeg";
}

// Sorted, so the image order (and with it the splits) does not depend on the file system.
std::vector<fs::path> list_images(const FolderSettings& settings) {
  const fs::path folder(settings.path);
  std::error_code error;
  if (!fs::is_directory(folder, error)) {
    throw ParamError("dataset 'image_folder': parameter 'path' must name a folder; '" +
                     settings.path + "' " +
                     (fs::exists(folder, error) ? "is not a folder" : "does not exist"));
  }
  std::vector<fs::path> files;
  const auto options = fs::directory_options::skip_permission_denied;
  if (settings.recursive) {
    for (const auto& entry : fs::recursive_directory_iterator(folder, options, error)) {
      if (entry.is_regular_file(error) && is_image_file(entry.path()))
        files.push_back(entry.path());
    }
  } else {
    for (const auto& entry : fs::directory_iterator(folder, options, error)) {
      if (entry.is_regular_file(error) && is_image_file(entry.path()))
        files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

// RGB uint8, `side` x `side`: the centre square of the image, resized with
// INTER_AREA when shrinking (no aliasing) and INTER_CUBIC when enlarging.
// Empty when the file cannot be decoded.
cv::Mat decode_square(const fs::path& file, int side) {
  cv::Mat image;
  try {
    // IMREAD_COLOR turns grayscale, RGBA and 16-bit images into 8-bit BGR.
    image = cv::imread(file.string(), cv::IMREAD_COLOR);
  } catch (const cv::Exception&) {
    return {};
  }
  if (image.empty()) return {};
  const int edge = std::min(image.cols, image.rows);
  cv::Mat square = image(cv::Rect((image.cols - edge) / 2, (image.rows - edge) / 2, edge, edge));
  cv::Mat resized;
  if (edge == side) {
    resized = square;
  } else {
    cv::resize(square, resized, cv::Size(side, side), 0, 0,
               edge > side ? cv::INTER_AREA : cv::INTER_CUBIC);
  }
  cv::Mat rgb;
  cv::cvtColor(resized, rgb, cv::COLOR_BGR2RGB);
  return rgb;
}

int64_t decode_threads(size_t files) {
  int64_t threads = std::max<int64_t>(1, std::thread::hardware_concurrency());
  // The host's thread budget (tests run several executables at once).
  if (const char* limit = std::getenv("STEGOLAB_THREADS")) {
    const int64_t value = std::atoll(limit);
    if (value > 0) threads = std::min(threads, value);
  }
  return std::max<int64_t>(1, std::min<int64_t>({threads, 16, static_cast<int64_t>(files)}));
}

// Keeps the augmentations' stream apart from other streams seeded with the same seed.
constexpr uint64_t kAugmentStream = 0xf01de4ULL;

class ImageFolder : public ImageSource {
 public:
  ImageFolder(FolderSettings settings, uint64_t seed)
      : settings_(std::move(settings)), engine_(seed ^ kAugmentStream) {
    // With augment_crop the cache holds images 15% larger, cropped at load().
    stored_size_ =
        settings_.augment_crop
            ? static_cast<int64_t>(std::lround(static_cast<double>(settings_.size) * 1.15))
            : settings_.size;
    decode_all();
  }

  int64_t size() const override { return images_.size(0); }
  void seed_augmentations(uint64_t seed) override { engine_.seed(seed ^ kAugmentStream); }
  int64_t image_size() const override { return settings_.size; }
  std::string image_name(int64_t index) const override {
    if (index < 0 || index >= size()) {
      throw PluginError("dataset 'image_folder' (" + settings_.path + "): no image " +
                        std::to_string(index) + " of " + std::to_string(size()));
    }
    return names_[static_cast<size_t>(index)];
  }

  torch::Tensor load(const torch::Tensor& indices, torch::Device device, bool augment) override {
    if (indices.dim() != 1 || indices.scalar_type() != torch::kLong) {
      throw PluginError("dataset 'image_folder': indices must be a 1-D int64 tensor");
    }
    const torch::Tensor cpu_indices = indices.cpu();
    const int64_t n = cpu_indices.size(0);
    if (n > 0) {
      const int64_t low = cpu_indices.min().item<int64_t>();
      const int64_t high = cpu_indices.max().item<int64_t>();
      if (low < 0 || high >= size()) {
        throw PluginError("dataset 'image_folder' (" + settings_.path +
                          "): index out of range [0, " + std::to_string(size()) +
                          "): " + std::to_string(low < 0 ? low : high));
      }
    }
    torch::Tensor batch = images_.index_select(0, cpu_indices);
    if (stored_size_ != settings_.size) batch = crop(batch, augment);
    if (augment && settings_.augment_flip && n > 0) {
      const torch::Tensor mask = draw_flags(n).view({n, 1, 1, 1});
      batch = torch::where(mask, batch.flip({2}), batch);
    }
    if (device.is_cuda()) return batch.pin_memory().to(device, /*non_blocking=*/true);
    return batch.to(device);
  }

 private:
  void decode_all() {
    const std::vector<fs::path> files = list_images(settings_);
    const int side = static_cast<int>(stored_size_);
    const auto count = static_cast<int64_t>(files.size());
    torch::Tensor decoded = torch::empty({count, stored_size_, stored_size_, 3}, torch::kByte);
    std::vector<uint8_t> valid(files.size(), 0);
    std::atomic<size_t> next{0};
    std::atomic<size_t> done{0};
    auto worker = [&]() {
      for (size_t i = next++; i < files.size(); i = next++) {
        const cv::Mat rgb = decode_square(files[i], side);
        if (!rgb.empty()) {
          // Each thread writes only its own images' rows of the cache.
          cv::Mat target(side, side, CV_8UC3, decoded[static_cast<int64_t>(i)].data_ptr<uint8_t>());
          rgb.copyTo(target);
          valid[i] = 1;
        }
        ++done;
      }
    };
    std::vector<std::thread> threads;
    const int64_t thread_count = decode_threads(files.size());
    for (int64_t t = 0; t < thread_count; ++t) threads.emplace_back(worker);

    const auto start = std::chrono::steady_clock::now();
    bool printed = false;
    while (done.load() < files.size()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      if (std::chrono::steady_clock::now() - start > std::chrono::seconds(1)) {
        std::cerr << "\rimage_folder: decoding " << done.load() << "/" << files.size()
                  << " images in " << settings_.path << std::flush;
        printed = true;
      }
    }
    for (auto& thread : threads) thread.join();
    if (printed) std::cerr << "\n";

    std::vector<int64_t> kept;
    for (size_t i = 0; i < files.size(); ++i) {
      if (valid[i]) {
        kept.push_back(static_cast<int64_t>(i));
        names_.push_back(files[i].lexically_relative(settings_.path).generic_string());
      } else {
        std::cerr << "warning: image_folder: skipping unreadable image '" << files[i].string()
                  << "'\n";
      }
    }
    if (static_cast<int64_t>(kept.size()) < settings_.min_images) {
      throw PluginError("dataset 'image_folder': folder '" + settings_.path + "' has " +
                        std::to_string(kept.size()) +
                        " readable PNG/JPEG images, fewer than min_images = " +
                        std::to_string(settings_.min_images));
    }
    images_ = kept.size() == files.size()
                  ? decoded
                  : decoded.index_select(0, torch::tensor(kept, torch::kLong));
  }

  // One boolean per image from the host engine: flips depend only on the seed
  // and the call order.
  torch::Tensor draw_flags(int64_t n) {
    std::vector<uint8_t> flags(static_cast<size_t>(n));
    for (auto& flag : flags) flag = static_cast<uint8_t>(engine_() >> 63);
    return torch::tensor(flags, torch::kByte).to(torch::kBool);
  }

  // `size` x `size` windows of the stored images: random offsets when
  // augmenting, the centre otherwise; one gather for the whole batch.
  torch::Tensor crop(const torch::Tensor& batch, bool augment) {
    const int64_t n = batch.size(0);
    const int64_t side = settings_.size;
    const int64_t room = stored_size_ - side;
    torch::Tensor top = torch::full({n}, room / 2, torch::kLong);
    torch::Tensor left = top.clone();
    if (augment) {
      std::vector<int64_t> offsets(static_cast<size_t>(2 * n));
      std::uniform_int_distribution<int64_t> pick(0, room);
      for (auto& offset : offsets) offset = pick(engine_);
      const torch::Tensor drawn = torch::tensor(offsets, torch::kLong).view({n, 2});
      top = drawn.select(1, 0);
      left = drawn.select(1, 1);
    }
    const torch::Tensor steps = torch::arange(side, torch::kLong);
    const torch::Tensor rows = (top.view({n, 1}) + steps.view({1, side})).view({n, side, 1});
    const torch::Tensor cols = (left.view({n, 1}) + steps.view({1, side})).view({n, 1, side});
    const torch::Tensor which = torch::arange(n, torch::kLong).view({n, 1, 1});
    return batch.index({which, rows, cols});
  }

  FolderSettings settings_;
  int64_t stored_size_;
  torch::Tensor images_;  // uint8 [N, stored, stored, 3], RGB, CPU
  std::vector<std::string> names_;  // of images_' rows: paths relative to the folder
  std::mt19937_64 engine_;
};

PluginInfo image_folder_info() {
  PluginInfo info;
  info.version = "1.0";
  info.summary = "every PNG/JPEG under a folder, centre-cropped and resized once (OpenCV)";
  info.params = {
      {"path", "string", nullptr, "folder with the images"},
      {"size", "int", 256, "pixels per side after centre crop and resize", 2.0, 65536.0},
      {"min_images", "int", 4, "fail when fewer readable images are found", 1.0, 1e9},
      {"recursive", "bool", true, "also read sub-folders"},
      {"augment_flip", "bool", true, "training: random horizontal flips"},
      {"augment_crop", "bool", false,
       "training: random size x size crops of images resized to 1.15 size"},
  };
  return info;
}

std::shared_ptr<ImageSource> make_image_folder(const Params& params, const BuildContext& context) {
  FolderSettings settings;
  if (!params.has("path")) throw ParamError(params.owner() + ": missing required parameter 'path'");
  settings.path = params.get_string("path", "");
  settings.size = params.get_int_at_least("size", 256, 2);
  settings.min_images = params.get_int_at_least("min_images", 4, 1);
  settings.recursive = params.get_bool("recursive", true);
  settings.augment_flip = params.get_bool("augment_flip", true);
  settings.augment_crop = params.get_bool("augment_crop", false);
  return std::make_shared<ImageFolder>(settings, context.seed);
}

}  // namespace
}  // namespace stegolab

STEGOLAB_PLUGIN(stegolab::ImageSource, image_folder, stegolab::image_folder_info,
                stegolab::make_image_folder)
