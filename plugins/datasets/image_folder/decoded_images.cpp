#include "decoded_images.hpp"

#include <iostream>
#include <utility>

#include "sample_framing.hpp"
#include "stegolab/errors.hpp"

namespace stegolab {

DecodedImages::DecodedImages(std::string owner, std::shared_ptr<const FolderListing> listing,
                             int64_t square_side, int64_t cache_bytes)
    : owner_(std::move(owner)),
      listing_(std::move(listing)),
      square_side_(square_side),
      cache_bytes_(cache_bytes),
      bad_(listing_->images.size(), 0) {
  if (cache_bytes_ > 0) cache_.resize(listing_->images.size());
}

bool DecodedImages::known_bad(int64_t index) {
  std::lock_guard<std::mutex> lock(mutex_);
  return bad_[index] != 0;
}

void DecodedImages::mark_bad(int64_t index) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (bad_[index]) return;
  bad_[index] = 1;
  std::cerr << "warning: " << owner_ << ": skipping unreadable image '"
            << listing_->images[index].file.string() << "'\n";
}

cv::Mat DecodedImages::decode(int64_t index) {
  if (cache_bytes_ > 0) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!cache_[index].empty()) return cache_[index];
  }
  cv::Mat image = decode_rgb(listing_->images[index].file, square_side_);
  if (image.empty() || cache_bytes_ <= 0) return image;
  const auto bytes = static_cast<int64_t>(image.total() * image.elemSize());
  std::lock_guard<std::mutex> lock(mutex_);
  if (cache_[index].empty() && cached_bytes_ + bytes <= cache_bytes_) {
    cache_[index] = image;
    cached_bytes_ += bytes;
  }
  return image;
}

cv::Mat DecodedImages::get(int64_t index) {
  const int64_t count = size();
  for (int64_t step = 0; step < count; ++step) {
    const int64_t candidate = (index + step) % count;
    if (known_bad(candidate)) continue;
    cv::Mat image = decode(candidate);
    if (!image.empty()) return image;
    mark_bad(candidate);
  }
  throw PluginError(owner_ + ": none of the " + std::to_string(count) + " images decodes");
}

}  // namespace stegolab
