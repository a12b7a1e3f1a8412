// Training the learned steganalyser (xunet.hpp) on paired cover and stego
// images, and its scores on other images. Each mini-batch holds whole pairs
// (a cover and its own stego), as steganalysis practice does, so the network
// learns the embedding's change rather than the content of the images.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include <torch/types.h>

#include "xunet.hpp"

namespace stegolab::steganography {

struct SteganalyserOptions {
  int64_t epochs = 10;
  int64_t pairs_per_batch = 16;  // a batch holds twice as many images
  double learning_rate = 1e-3;   // Adam
  uint64_t seed = 0;             // weights and batch order
};

// After each epoch: its number (1-based), mean loss, accuracy on its batches.
using EpochReport = std::function<void(int64_t epoch, double loss, double accuracy)>;

// covers and stegos: uint8 [N, H, W, C], pair i = (covers[i], stegos[i]).
// Returns the trained network in evaluation mode. Throws Error for sets of
// different shapes or no pairs.
XuNet train_steganalyser(const torch::Tensor& covers, const torch::Tensor& stegos,
                         const SteganalyserOptions& options, const EpochReport& report = {});

// The network's score of each image (uint8 [N, H, W, C]): the stego logit
// minus the cover logit, so above 0 means "stego".
std::vector<double> steganalyser_scores(XuNet& network, const torch::Tensor& pixels,
                                        int64_t batch_size = 64);

}  // namespace stegolab::steganography
