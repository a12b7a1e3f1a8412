#include "image_pairs.hpp"

#include <string>

#include "stegolab/errors.hpp"
#include "stegolab/seeded_permutation.hpp"

namespace stegolab::steganography {

namespace {

constexpr uint64_t kPairStream = 0x5041'4952ULL;  // "PAIR"

void check_enough_images(const torch::Tensor& indices, int64_t secrets) {
  if (indices.numel() < secrets + 1) {
    throw Error("hiding " + std::to_string(secrets) + " secret(s) per cover needs at least " +
                std::to_string(secrets + 1) + " images, got " +
                std::to_string(indices.numel()));
  }
}

// Samples i of `order` (int64 indices into the samples), in that order.
ImagePairs select_samples(const ImagePairs& samples, const torch::Tensor& order) {
  ImagePairs selected;
  selected.covers = samples.covers.index_select(0, order).contiguous();
  for (const torch::Tensor& secret : samples.secrets) {
    selected.secrets.push_back(secret.index_select(0, order).contiguous());
  }
  return selected;
}

}  // namespace

ImagePairs fixed_pairs(const torch::Tensor& indices, int64_t secrets) {
  check_enough_images(indices, secrets);
  ImagePairs pairs;
  pairs.covers = indices.to(torch::kLong).contiguous();
  for (int64_t j = 1; j <= secrets; ++j) {
    pairs.secrets.push_back(torch::roll(pairs.covers, -j, 0).contiguous());
  }
  return pairs;
}

ImagePairs epoch_pairs(const torch::Tensor& indices, uint64_t seed, int64_t epoch, int64_t count,
                       int64_t secrets) {
  check_enough_images(indices, secrets);
  // One seed per epoch, then one per extra pass within the epoch.
  const uint64_t epoch_seed = derive_seed(seed, kPairStream + static_cast<uint64_t>(epoch));
  std::vector<torch::Tensor> covers;
  std::vector<std::vector<torch::Tensor>> secret_lists(static_cast<size_t>(secrets));
  int64_t have = 0;
  for (uint64_t pass = 0; have < count; ++pass) {
    const ImagePairs pairs =
        fixed_pairs(seeded_permutation(indices, derive_seed(epoch_seed, pass)), secrets);
    covers.push_back(pairs.covers);
    for (size_t j = 0; j < secret_lists.size(); ++j) secret_lists[j].push_back(pairs.secrets[j]);
    have += pairs.size();
  }
  ImagePairs result;
  const auto first = [count](const std::vector<torch::Tensor>& parts) {
    if (parts.empty()) return torch::empty({0}, torch::kLong);
    return torch::cat(parts).slice(0, 0, count).contiguous();
  };
  result.covers = first(covers);
  for (const auto& list : secret_lists) result.secrets.push_back(first(list));
  return result;
}

ImagePairs epoch_order(const ImagePairs& samples, uint64_t seed, int64_t epoch, int64_t count) {
  if (samples.size() == 0) throw Error("training needs at least one fixed sample, got none");
  const uint64_t epoch_seed = derive_seed(seed, kPairStream + static_cast<uint64_t>(epoch));
  const torch::Tensor all = torch::arange(samples.size(), torch::kLong);
  std::vector<torch::Tensor> passes;
  for (uint64_t pass = 0; static_cast<int64_t>(passes.size()) * samples.size() < count; ++pass) {
    passes.push_back(seeded_permutation(all, derive_seed(epoch_seed, pass)));
  }
  const torch::Tensor order =
      passes.empty() ? torch::empty({0}, torch::kLong) : torch::cat(passes).slice(0, 0, count);
  return select_samples(samples, order);
}

}  // namespace stegolab::steganography
