// Steganalysis of the steganography task: the detection scores (ROC AUC,
// minimal-error accuracy) against values computed by hand, the learned
// steganalyser's size against the paper's layer widths, and both detectors
// on images the test makes: plain LSB replacement of every channel's least
// significant bit (full payload) is found, identical copies are not.
#include <cmath>
#include <vector>

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "stegolab/errors.hpp"

#include "../plugins/tasks/steganography/steganalysis/detection_scores.cpp"
#include "../plugins/tasks/steganography/steganalysis/sample_pair_analysis.cpp"
#include "../plugins/tasks/steganography/steganalysis/steganalyser_training.cpp"
#include "../plugins/tasks/steganography/steganalysis/xunet.cpp"

namespace stegolab {
namespace {

using steganography::min_error_accuracy;
using steganography::roc_auc;
using steganography::threshold_accuracy;

// Smooth-ish 8-bit RGB images: a product of sinusoids of random frequencies
// and phases per image and channel, plus Gaussian noise of 2 grey levels (a
// camera's), seeded.
torch::Tensor smooth_images(int64_t count, int64_t size, uint64_t seed) {
  torch::manual_seed(seed);
  const torch::Tensor axis = torch::arange(size, torch::kFloat32) / static_cast<double>(size);
  const torch::Tensor x = axis.view({1, 1, size, 1});
  const torch::Tensor y = axis.view({1, size, 1, 1});
  const torch::Tensor a = torch::rand({count, 1, 1, 3}) * 6;
  const torch::Tensor b = torch::rand({count, 1, 1, 3}) * 6;
  const torch::Tensor phase = torch::rand({count, 1, 1, 3}) * 6;
  const torch::Tensor pattern = 128 + 60 * torch::sin(a * x + phase) * torch::cos(b * y);
  return (pattern + 2 * torch::randn(pattern.sizes())).round().clamp(0, 255).to(torch::kUInt8);
}

// LSB replacement at 1 bit per channel, full payload: every sample's least
// significant bit replaced by a random message bit (half of them change).
torch::Tensor lsb_replaced(const torch::Tensor& covers, uint64_t seed) {
  torch::manual_seed(seed);
  const torch::Tensor bits = torch::randint(0, 2, covers.sizes(), torch::kUInt8);
  return covers.bitwise_and(254).bitwise_or(bits);
}

std::vector<double> as_vector(const torch::Tensor& t) {
  const torch::Tensor c = t.to(torch::kFloat64).contiguous();
  return {c.data_ptr<double>(), c.data_ptr<double>() + c.numel()};
}

TEST(Steganalysis, RocAucIsTheRankStatisticWithTiesHalved) {
  // By hand, over the 3 x 2 (negative, positive) pairs: 0.8 beats all three
  // negatives (3); 0.4 beats 0.1 and 0.35 (2) and ties 0.4 (0.5): 5.5 / 6.
  EXPECT_NEAR(roc_auc({0.1, 0.4, 0.35}, {0.8, 0.4}), 5.5 / 6, 1e-12);
  EXPECT_DOUBLE_EQ(roc_auc({1, 2}, {3, 4}), 1.0);
  EXPECT_DOUBLE_EQ(roc_auc({3, 4}, {1, 2}), 0.0);
  EXPECT_DOUBLE_EQ(roc_auc({1, 2, 3}, {1, 2, 3}), 0.5);
  EXPECT_THROW(roc_auc({}, {1}), Error);
}

TEST(Steganalysis, MinErrorAccuracyTakesTheBestThreshold) {
  // Negatives {1, 2, 3}, positives {2.5, 4}. "Positive" above t: t = 1:
  // P_FA 2/3, P_MD 0; t = 2: 1/3, 0 -> P_E 1/6; t = 2.5: 1/3, 1/2; t = 3:
  // 0, 1/2. The best is t = 2, accuracy 1 - 1/6.
  EXPECT_NEAR(min_error_accuracy({1, 2, 3}, {2.5, 4}), 5.0 / 6, 1e-12);
  EXPECT_DOUBLE_EQ(min_error_accuracy({1, 2}, {3, 4}), 1.0);
  EXPECT_DOUBLE_EQ(min_error_accuracy({5, 6, 7}, {5, 6, 7}), 0.5);
  // A fixed threshold at 2: negatives 1, 2 right (2 of 3), positives both.
  EXPECT_NEAR(threshold_accuracy({1, 2, 3}, {2.5, 4}, 2.0), 0.5 * (2.0 / 3 + 1.0), 1e-12);
}

TEST(Steganalysis, XuNetHasThePapersWidthsAndAFixedFilter) {
  // 3 channels: convolutions 3*8*25 + 8*16*25 + 16*32 + 32*64 + 64*128
  // = 600 + 3200 + 512 + 2048 + 8192, normalisation 2*(8+16+32+64+128) = 496,
  // linear 128*2 + 2 = 258: 15306 (the paper's gray network: 14906).
  EXPECT_EQ(steganography::xunet_parameter_count(3), 15306);
  EXPECT_EQ(steganography::xunet_parameter_count(1), 14906);
  steganography::XuNet network(3);
  int64_t trainable = 0;
  for (const torch::Tensor& p : network->parameters()) trainable += p.numel();
  EXPECT_EQ(trainable, 15306);
  EXPECT_EQ(network->named_buffers()["high_pass"].sizes(), torch::IntArrayRef({3, 1, 5, 5}));
  network->eval();
  torch::NoGradGuard no_grad;
  EXPECT_EQ(network->forward(torch::zeros({2, 3, 32, 32})).sizes(), torch::IntArrayRef({2, 2}));
}

TEST(Steganalysis, KvFilterIgnoresAQuadraticSurface) {
  // The KV kernel predicts from a quadratic neighbourhood: its residual of
  // a plane and of x^2 + y^2 is 0 away from the borders (its weights sum to
  // 0, and its second moments cancel), so a flat image gives no signal.
  const torch::Tensor axis = torch::arange(16, torch::kFloat32);
  const torch::Tensor surface =
      (axis.view({16, 1}).pow(2) + axis.view({1, 16}).pow(2) + 3 * axis.view({1, 16}))
          .view({1, 1, 16, 16});
  const torch::Tensor kernel = steganography::kv_kernel();
  const torch::Tensor residual = torch::conv2d(surface, kernel);
  EXPECT_LT(residual.abs().max().item<double>(), 1e-3);
}

TEST(Steganalysis, SamplePairAnalysisFindsFullLsbReplacement) {
  const torch::Tensor covers = smooth_images(16, 32, 1);
  const torch::Tensor stegos = lsb_replaced(covers, 2);
  const std::vector<double> cover_rates = as_vector(steganography::sample_pair_rates(covers));
  const std::vector<double> stego_rates = as_vector(steganography::sample_pair_rates(stegos));
  // The estimator's own scale: about 0 on covers, 1 at full payload (rate 1
  // = every sample carries a message bit); on images this small it reads
  // low at full payload (0.83 measured here), far from the covers all the same.
  double cover_mean = 0, stego_mean = 0;
  for (size_t i = 0; i < cover_rates.size(); ++i) {
    cover_mean += cover_rates[i] / cover_rates.size();
    stego_mean += stego_rates[i] / stego_rates.size();
  }
  EXPECT_LT(std::abs(cover_mean), 0.15);
  EXPECT_GT(stego_mean, 0.7);
  EXPECT_LT(stego_mean, 1.15);
  EXPECT_GE(min_error_accuracy(cover_rates, stego_rates), 0.95);
  EXPECT_GE(roc_auc(cover_rates, stego_rates), 0.95);
  // Identical copies: the same rates, so nothing to tell apart.
  EXPECT_DOUBLE_EQ(roc_auc(cover_rates, cover_rates), 0.5);
  EXPECT_DOUBLE_EQ(min_error_accuracy(cover_rates, cover_rates), 0.5);
}

TEST(Steganalysis, SteganalyserLearnsFullLsbReplacement) {
  const torch::Tensor covers = smooth_images(96, 32, 3);
  const torch::Tensor stegos = lsb_replaced(covers, 4);
  steganography::SteganalyserOptions options;
  options.epochs = 4;
  options.pairs_per_batch = 8;
  options.seed = 5;
  int64_t reports = 0;
  steganography::XuNet network = steganography::train_steganalyser(
      covers.slice(0, 0, 64), stegos.slice(0, 0, 64), options,
      [&reports](int64_t, double, double) { ++reports; });
  EXPECT_EQ(reports, 4);
  const auto cover_scores = steganography::steganalyser_scores(network, covers.slice(0, 64));
  const auto stego_scores = steganography::steganalyser_scores(network, stegos.slice(0, 64));
  // Chance is 0.5; a detector that learnt nothing stays near it.
  EXPECT_GE(roc_auc(cover_scores, stego_scores), 0.8);
  EXPECT_GE(threshold_accuracy(cover_scores, stego_scores, 0.0), 0.7);
}

TEST(Steganalysis, SteganalyserCannotTellIdenticalCopies) {
  const torch::Tensor covers = smooth_images(48, 32, 6);
  steganography::SteganalyserOptions options;
  options.epochs = 2;
  options.pairs_per_batch = 8;
  steganography::XuNet network = steganography::train_steganalyser(
      covers.slice(0, 0, 32), covers.slice(0, 0, 32).clone(), options);
  const auto scores = steganography::steganalyser_scores(network, covers.slice(0, 32));
  // Each "stego" scores exactly as its cover: one of each pair is right at
  // any threshold, and every positive ties its negative.
  EXPECT_DOUBLE_EQ(threshold_accuracy(scores, scores, 0.0), 0.5);
  EXPECT_DOUBLE_EQ(roc_auc(scores, scores), 0.5);
  EXPECT_THROW(steganography::train_steganalyser(covers, covers.slice(0, 1), options), Error);
}

}  // namespace
}  // namespace stegolab
