#include "folder_listing.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <mutex>
#include <optional>
#include <tuple>

#include "image_header.hpp"
#include "parallel_for.hpp"
#include "stegolab/errors.hpp"

namespace stegolab {
namespace {

namespace fs = std::filesystem;

bool has_image_name(const fs::path& file) {
  std::string extension = file.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  return extension == ".png" || extension == ".jpg" || extension == ".jpeg";
}

std::vector<fs::path> image_names(const fs::path& folder, bool recursive) {
  std::vector<fs::path> files;
  std::error_code error;
  const auto options = fs::directory_options::skip_permission_denied;
  auto keep = [&](const fs::directory_entry& entry) {
    if (entry.is_regular_file(error) && has_image_name(entry.path())) files.push_back(entry.path());
  };
  if (recursive) {
    for (const auto& entry : fs::recursive_directory_iterator(folder, options, error)) keep(entry);
  } else {
    for (const auto& entry : fs::directory_iterator(folder, options, error)) keep(entry);
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::shared_ptr<const FolderListing> read_listing(const fs::path& folder, bool recursive,
                                                  int64_t threads) {
  const std::vector<fs::path> files = image_names(folder, recursive);
  std::vector<std::optional<ImageExtent>> extents(files.size());
  parallel_for(files.size(), threads, [&](size_t i) { extents[i] = read_image_extent(files[i]); });
  auto listing = std::make_shared<FolderListing>();
  for (size_t i = 0; i < files.size(); ++i) {
    if (extents[i]) {
      listing->images.push_back({files[i], *extents[i]});
    } else {
      listing->unreadable.push_back(files[i]);
    }
  }
  return listing;
}

}  // namespace

std::shared_ptr<const FolderListing> list_folder(const std::string& owner,
                                                 const std::string& folder, bool recursive,
                                                 int64_t threads) {
  const fs::path path(folder);
  std::error_code error;
  if (!fs::is_directory(path, error)) {
    throw ParamError(owner + ": parameter 'path' must name a folder; '" + folder + "' " +
                     (fs::exists(path, error) ? "is not a folder" : "does not exist"));
  }
  using Key = std::tuple<std::string, bool, fs::file_time_type>;
  static std::mutex mutex;
  static std::map<Key, std::shared_ptr<const FolderListing>> cache;
  const Key key{fs::absolute(path).lexically_normal().string(), recursive,
                fs::last_write_time(path, error)};
  {
    std::lock_guard<std::mutex> lock(mutex);
    const auto found = cache.find(key);
    if (found != cache.end()) return found->second;
  }
  auto listing = read_listing(path, recursive, threads);
  std::lock_guard<std::mutex> lock(mutex);
  cache[key] = listing;
  return listing;
}

}  // namespace stegolab
