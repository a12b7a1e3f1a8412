// Decoded images of a folder listing, on demand and thread-safe, with an
// optional bounded cache. A file that will not decode is warned about once
// and replaced by the next image in the listing that does, so the samples
// of an epoch depend only on the files, never on which thread met it first.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "folder_listing.hpp"

namespace stegolab {

class DecodedImages {
 public:
  // `square_side` > 0: images are stored as their centre square resized to
  // it (decode_rgb). `cache_bytes` > 0 keeps decoded images until that many
  // bytes are held; later ones are decoded again each time.
  DecodedImages(std::string owner, std::shared_ptr<const FolderListing> listing,
                int64_t square_side, int64_t cache_bytes);

  int64_t size() const { return static_cast<int64_t>(listing_->images.size()); }
  const ListedImage& listed(int64_t index) const { return listing_->images[index]; }
  // RGB uint8 pixels of image `index`, or of its replacement.
  cv::Mat get(int64_t index);

 private:
  cv::Mat decode(int64_t index);
  bool known_bad(int64_t index);
  void mark_bad(int64_t index);

  std::string owner_;
  std::shared_ptr<const FolderListing> listing_;
  int64_t square_side_;
  int64_t cache_bytes_;
  std::mutex mutex_;
  std::vector<cv::Mat> cache_;
  std::vector<uint8_t> bad_;
  int64_t cached_bytes_ = 0;
};

}  // namespace stegolab
