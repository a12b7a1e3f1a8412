#include "external_steganalysis.hpp"

#include <cmath>

#include <torch/torch.h>

#include "stegolab/errors.hpp"
#include "stegolab/seeded_permutation.hpp"

namespace stegolab::steganography {

namespace {

StegoImageSets stacked(const ExternalImages& images, const torch::Tensor& order) {
  std::vector<torch::Tensor> covers, stegos;
  for (int64_t i = 0; i < order.numel(); ++i) {
    const auto index = static_cast<size_t>(order[i].item<int64_t>());
    covers.push_back(images.covers[index]);
    stegos.push_back(images.stegos[index]);
  }
  return {torch::stack(covers), torch::stack(stegos)};
}

}  // namespace

ExternalSplit split_for_steganalysis(const ExternalImages& images, double test_fraction,
                                     uint64_t seed) {
  if (images_size(images) == "mixed") {
    throw Error(
        "evaluate --steganalysis: the covers differ in size (the steganalyser takes "
        "one size); crop or resize them all alike, or leave --steganalysis out");
  }
  const auto pairs = static_cast<int64_t>(images.names.size());
  const auto test_pairs =
      static_cast<int64_t>(std::llround(test_fraction * static_cast<double>(pairs)));
  if (test_pairs < 1 || pairs - test_pairs < 2) {
    throw Error("evaluate --steganalysis: " + std::to_string(pairs) + " pairs split at " +
                "--test-fraction " + std::to_string(test_fraction) + " give " +
                std::to_string(pairs - test_pairs) + " train and " + std::to_string(test_pairs) +
                " test pairs; it needs at least 2 and 1");
  }
  const torch::Tensor order = seeded_permutation(torch::arange(pairs, torch::kLong), seed);
  return {stacked(images, order.slice(0, test_pairs)),
          stacked(images, order.slice(0, 0, test_pairs))};
}

}  // namespace stegolab::steganography
