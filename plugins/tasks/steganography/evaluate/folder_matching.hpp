// The folders given to `stegolab evaluate` (another method's covers, stegos,
// secrets, recovered secrets), their image files matched by name without
// extension: a.png in one folder goes with a.jpg in another.
#pragma once

#include <string>
#include <vector>

namespace stegolab::steganography {

struct ImageFolderOption {
  std::string option;  // how the user named it: "--cover"
  std::string folder;
};

struct MatchedFiles {
  std::vector<std::string> names;  // sorted, the same in every folder
  // files[f][i]: the file of names[i] in folder f, in the order given
  std::vector<std::vector<std::string>> files;
};

// The image files (.png .jpg .jpeg .bmp .tif .tiff .ppm .pgm .webp, any
// case; other files ignored) directly in each folder, matched against the
// first folder's. Throws Error (one line) for a missing or empty folder,
// two files of one name in a folder, and names that are not in every folder
// (the first few, and which folder lacks them).
MatchedFiles match_image_folders(const std::vector<ImageFolderOption>& folders);

}  // namespace stegolab::steganography
