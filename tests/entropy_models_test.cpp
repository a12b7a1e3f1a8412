// The SDK's entropy models: the factorized bottleneck and the Gaussian
// conditional quantise as documented, their likelihoods are probabilities,
// their coding reproduces evaluation-mode values bit for bit (escaped tails
// included), and the auxiliary parameters live in their own group.
#include <cmath>

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "stegolab/entropy_bottleneck.hpp"
#include "stegolab/errors.hpp"
#include "stegolab/gaussian_conditional.hpp"
#include "stegolab/parameter_group.hpp"
#include "stegolab/rans_coder.hpp"

namespace stegolab {
namespace {

std::shared_ptr<EntropyBottleneck> small_bottleneck(int64_t channels) {
  EntropyBottleneckSettings settings;
  settings.channels = channels;
  return std::make_shared<EntropyBottleneck>(settings);
}

TEST(EntropyBottleneck, NoiseInTrainingRoundingAroundMediansInEvaluation) {
  torch::manual_seed(1);
  auto bottleneck = small_bottleneck(4);
  const torch::Tensor latents = torch::randn({2, 4, 5, 3}) * 4;
  bottleneck->train();
  const QuantizedLatents noisy = bottleneck->forward(latents);
  EXPECT_LE((noisy.values - latents).abs().max().item<double>(), 0.5);
  EXPECT_GT((noisy.values - latents).abs().max().item<double>(), 0.0);
  bottleneck->eval();
  {
    torch::NoGradGuard no_grad;
    bottleneck->named_parameters()["auxiliary.quantiles"].select(2, 1).fill_(0.3);
  }
  const QuantizedLatents rounded = bottleneck->forward(latents);
  const torch::Tensor steps = rounded.values - 0.3;
  EXPECT_TRUE(torch::allclose(steps, torch::round(steps), 0.0, 1e-5));
  EXPECT_LE((rounded.values - latents).abs().max().item<double>(), 0.5 + 1e-5);
  EXPECT_GT(rounded.likelihoods.min().item<double>(), 0.0);
  EXPECT_LE(rounded.likelihoods.max().item<double>(), 1.0);
}

TEST(EntropyBottleneck, LikelihoodsOfTheIntegersSumToAboutOne) {
  auto bottleneck = small_bottleneck(2);
  bottleneck->eval();
  const torch::Tensor integers =
      torch::arange(-300, 301, torch::kFloat).reshape({1, 1, 1, -1}).repeat({1, 2, 1, 1});
  const double total = bottleneck->forward(integers).likelihoods.sum().item<double>() / 2.0;
  EXPECT_NEAR(total, 1.0, 1e-3);
}

TEST(EntropyBottleneck, AuxiliaryLossMovesOnlyTheQuantiles) {
  auto bottleneck = small_bottleneck(3);
  bottleneck->aux_loss().backward();
  for (const auto& parameter : bottleneck->named_parameters()) {
    const bool quantiles = parameter.key() == "auxiliary.quantiles";
    const torch::Tensor& grad = parameter.value().grad();
    EXPECT_EQ(grad.defined() && grad.abs().sum().item<double>() > 0.0, quantiles)
        << parameter.key();
  }
  std::vector<torch::Tensor> rest;
  const auto groups = split_parameter_groups({bottleneck}, rest);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].name, kEntropyAuxGroup);
  ASSERT_EQ(groups[0].parameters.size(), 1u);
  EXPECT_TRUE(groups[0].parameters[0].is_same(bottleneck->named_parameters()["auxiliary.quantiles"]));
  EXPECT_EQ(rest.size(), bottleneck->parameters().size() - 1);
}

TEST(EntropyBottleneck, DecodesExactlyWhatEvaluationRounds) {
  torch::manual_seed(2);
  auto bottleneck = small_bottleneck(5);
  bottleneck->eval();
  bottleneck->update_tables();
  // Wide latents: many fall outside the tables and are escaped.
  const torch::Tensor latents = torch::randn({1, 5, 6, 7}) * 40;
  RansEncoder encoder;
  bottleneck->compress(latents, encoder);
  const std::vector<uint8_t> stream = encoder.finish();
  RansDecoder decoder(stream.data(), stream.size());
  const torch::Tensor decoded = bottleneck->decompress(decoder, 6, 7);
  EXPECT_TRUE(torch::equal(decoded, bottleneck->forward(latents).values));
  EXPECT_EQ(decoder.remaining(), 0u);
}

TEST(GaussianConditional, LikelihoodsAreTheIntegerMassesOfTheGaussian) {
  GaussianConditional conditional;
  conditional.eval();
  const torch::Tensor values = torch::arange(-40, 41, torch::kFloat);
  const torch::Tensor scales = torch::full_like(values, 3.0);
  const torch::Tensor likelihoods = conditional.forward(values, scales).likelihoods;
  EXPECT_NEAR(likelihoods.sum().item<double>(), 1.0, 1e-5);
  // P(|X| < 0.5) for X ~ N(0, 3^2) = erf(0.5 / (3 sqrt 2)).
  EXPECT_NEAR(likelihoods[40].item<double>(), std::erf(0.5 / (3.0 * std::sqrt(2.0))), 1e-6);
}

TEST(GaussianConditional, ScalesChooseTablesByComparison) {
  GaussianConditional conditional;
  const torch::Tensor indexes =
      conditional.indexes(torch::tensor({0.01, 0.11, 0.1101, 1.0, 255.0, 1000.0}));
  EXPECT_EQ(indexes[0].item<int>(), 0);
  EXPECT_EQ(indexes[1].item<int>(), 0);
  EXPECT_EQ(indexes[2].item<int>(), 1);
  EXPECT_LT(indexes[3].item<int>(), indexes[4].item<int>());
  EXPECT_EQ(indexes[5].item<int>(), 63);
}

TEST(GaussianConditional, DecodesExactlyWhatEvaluationRounds) {
  torch::manual_seed(3);
  GaussianConditional conditional;
  conditional.eval();
  const torch::Tensor values = torch::randn({1, 4, 5, 6}) * 20;
  // Some scales far too small for their values: escapes.
  const torch::Tensor scales = torch::rand({1, 4, 5, 6}) * 10;
  const torch::Tensor means = torch::randn({1, 4, 5, 6});
  const torch::Tensor indexes = conditional.indexes(scales);
  RansEncoder encoder;
  conditional.compress(values, indexes, means, encoder);
  const std::vector<uint8_t> stream = encoder.finish();
  RansDecoder decoder(stream.data(), stream.size());
  const torch::Tensor decoded = conditional.decompress(decoder, indexes, means);
  EXPECT_TRUE(torch::equal(decoded, conditional.forward(values, scales, means).values));
  EXPECT_EQ(decoder.remaining(), 0u);
}

TEST(ParameterGroups, OneNameOneLearningRate) {
  auto root = std::make_shared<torch::nn::Module>();
  auto a = root->register_module("a", std::make_shared<GroupedParameters>("aux", 1e-3));
  auto b = root->register_module("b", std::make_shared<GroupedParameters>("aux", 1e-2));
  a->register_parameter("p", torch::zeros({1}));
  b->register_parameter("q", torch::zeros({1}));
  std::vector<torch::Tensor> rest;
  EXPECT_THROW(split_parameter_groups({root}, rest), Error);
  EXPECT_THROW(GroupedParameters("aux", 0.0), Error);
}

}  // namespace
}  // namespace stegolab
