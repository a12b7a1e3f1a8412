#include "folder_matching.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <set>

#include "stegolab/errors.hpp"

namespace stegolab::steganography {

namespace {

namespace fs = std::filesystem;

constexpr size_t kNamesShown = 5;

bool is_image_file(const fs::path& file) {
  static const std::set<std::string> extensions = {".png",  ".jpg", ".jpeg", ".bmp", ".tif",
                                                   ".tiff", ".ppm", ".pgm",  ".webp"};
  std::string extension = file.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extensions.count(extension) != 0;
}

std::string described(const ImageFolderOption& folder) {
  return folder.option + " '" + folder.folder + "'";
}

// Name without extension -> file, of one folder.
std::map<std::string, std::string> folder_images(const ImageFolderOption& folder) {
  std::error_code ec;
  if (!fs::is_directory(folder.folder, ec)) {
    throw Error("evaluate: " + described(folder) + " is not a folder");
  }
  std::map<std::string, std::string> images;
  for (const auto& entry : fs::directory_iterator(folder.folder, ec)) {
    if (!entry.is_regular_file() || !is_image_file(entry.path())) continue;
    const std::string name = entry.path().stem().string();
    const auto [at, added] = images.emplace(name, entry.path().string());
    if (!added) {
      throw Error("evaluate: " + described(folder) + " holds two images named '" + name + "' (" +
                  fs::path(at->second).filename().string() + ", " +
                  entry.path().filename().string() +
                  "); files are matched by name without extension");
    }
  }
  if (ec) throw Error("evaluate: cannot list " + described(folder) + ": " + ec.message());
  if (images.empty()) {
    throw Error("evaluate: " + described(folder) +
                " holds no image files (.png .jpg .jpeg .bmp .tif .tiff .ppm .pgm .webp)");
  }
  return images;
}

// "a, b, c and 4 more"
std::string first_names(const std::vector<std::string>& names) {
  std::string text;
  for (size_t i = 0; i < names.size() && i < kNamesShown; ++i) {
    text += (i == 0 ? "" : ", ") + names[i];
  }
  if (names.size() > kNamesShown) {
    text += " and " + std::to_string(names.size() - kNamesShown) + " more";
  }
  return text;
}

// The names of `a` that `b` lacks.
std::vector<std::string> missing_from(const std::map<std::string, std::string>& a,
                                      const std::map<std::string, std::string>& b) {
  std::vector<std::string> missing;
  for (const auto& [name, file] : a) {
    if (b.count(name) == 0) missing.push_back(name);
  }
  return missing;
}

// `lacking`: names of `from` with no file in `to`.
void refuse_unmatched(const ImageFolderOption& from, const ImageFolderOption& to,
                      const std::vector<std::string>& lacking) {
  if (lacking.empty()) return;
  throw Error("evaluate: " + std::to_string(lacking.size()) + " image(s) of " + described(from) +
              " have no file of the same name in " + described(to) + ": " + first_names(lacking) +
              " (files are matched by name without extension)");
}

}  // namespace

MatchedFiles match_image_folders(const std::vector<ImageFolderOption>& folders) {
  MatchedFiles matched;
  if (folders.empty()) return matched;
  std::vector<std::map<std::string, std::string>> listed;
  for (const ImageFolderOption& folder : folders) listed.push_back(folder_images(folder));
  for (size_t f = 1; f < folders.size(); ++f) {
    refuse_unmatched(folders.front(), folders[f], missing_from(listed.front(), listed[f]));
    refuse_unmatched(folders[f], folders.front(), missing_from(listed[f], listed.front()));
  }
  for (const auto& [name, file] : listed.front()) matched.names.push_back(name);
  matched.files.resize(folders.size());
  for (size_t f = 0; f < folders.size(); ++f) {
    for (const auto& [name, file] : listed[f]) matched.files[f].push_back(file);
  }
  return matched;
}

}  // namespace stegolab::steganography
