#include "image_pairs.hpp"

#include <vector>

#include "stegolab/errors.hpp"
#include "stegolab/seeded_permutation.hpp"

namespace stegolab::steganography {

namespace {
constexpr uint64_t kPairStream = 0x5041'4952ULL;  // "PAIR"
}  // namespace

ImagePairs fixed_pairs(const torch::Tensor& indices) {
  if (indices.numel() < 2) {
    throw Error("pairing needs at least 2 images, got " + std::to_string(indices.numel()));
  }
  const torch::Tensor covers = indices.to(torch::kLong).contiguous();
  return {covers, torch::roll(covers, -1, 0).contiguous()};
}

ImagePairs epoch_pairs(const torch::Tensor& indices, uint64_t seed, int64_t epoch, int64_t count) {
  if (indices.numel() < 2) {
    throw Error("pairing needs at least 2 images, got " + std::to_string(indices.numel()));
  }
  // One seed per epoch, then one per extra pass within the epoch.
  const uint64_t epoch_seed = derive_seed(seed, kPairStream + static_cast<uint64_t>(epoch));
  std::vector<torch::Tensor> covers;
  std::vector<torch::Tensor> secrets;
  int64_t have = 0;
  for (uint64_t pass = 0; have < count; ++pass) {
    const ImagePairs pairs =
        fixed_pairs(seeded_permutation(indices, derive_seed(epoch_seed, pass)));
    covers.push_back(pairs.covers);
    secrets.push_back(pairs.secrets);
    have += pairs.size();
  }
  if (covers.empty()) return {torch::empty({0}, torch::kLong), torch::empty({0}, torch::kLong)};
  return {torch::cat(covers).slice(0, 0, count).contiguous(),
          torch::cat(secrets).slice(0, 0, count).contiguous()};
}

}  // namespace stegolab::steganography
