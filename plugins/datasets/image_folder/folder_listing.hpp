// The images of a folder with their sizes, read from the files' headers
// once per process: sweeps build a source per trial, and listing a 100,000-
// image folder is the slow part of starting one.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "stegolab/dataset.hpp"

namespace stegolab {

struct ListedImage {
  std::filesystem::path file;
  ImageExtent extent;
};

struct FolderListing {
  std::vector<ListedImage> images;              // sorted by path: splits never depend on the file system
  std::vector<std::filesystem::path> unreadable;  // image names whose header is not PNG/JPEG
};

// Every .png/.jpg/.jpeg under `folder` (also in sub-folders when
// `recursive`), headers read on `threads` threads. Cached for the process
// while the folder's modification time stays the same. Throws ParamError
// naming `owner` when the folder does not exist.
std::shared_ptr<const FolderListing> list_folder(const std::string& owner,
                                                 const std::string& folder, bool recursive,
                                                 int64_t threads);

}  // namespace stegolab
