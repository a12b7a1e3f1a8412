// The hinet model: exact invertibility of the block stack, the secret back
// through the exact reverse, the transform it needs, the parameter count and
// FLOPs by formula, and a tiny training that improves hiding and recovery.
#include <memory>

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "support/build_locations.hpp"
#include "plugin_host/plugin_registry.hpp"
#include "stegolab/model.hpp"
#include "stegolab/transform.hpp"
#include "support/haar_test_transform.hpp"
#include "support/tiny_stego_training.hpp"

// The plugin's types are hidden inside its library, so the block-level tests
// compile the plugin's sources into this test as well (the registry tests
// below still go through the real plugin).
#include "../plugins/models/hinet/dense_subnet.cpp"
#include "../plugins/models/hinet/hinet_block.cpp"
#include "../plugins/models/hinet/hinet_model.cpp"

namespace {

using stegolab::hinet::HinetModel;
using stegolab::hinet::HinetOptions;
using stegolab::testing::HaarTestTransform;

std::shared_ptr<stegolab::Transform> haar() { return std::make_shared<HaarTestTransform>(); }

stegolab::PluginRegistry& registry() {
  static stegolab::PluginRegistry instance = [] {
    stegolab::PluginRegistry r;
    r.discover({STEGOLAB_TEST_PLUGIN_DIR});
    return r;
  }();
  return instance;
}

std::shared_ptr<stegolab::StegoModel> build_model(const nlohmann::json& params,
                                                  int64_t secrets = 1) {
  stegolab::BuildContext context;
  context.image_size = 16;
  context.secrets = secrets;
  context.transform = haar();
  return registry().build<stegolab::StegoModel>("hinet", params, context);
}

// The last layer of every subnet starts at zero (an identity block); moving
// all weights makes each block really mix cover and secret.
void randomise(torch::nn::Module& module, double scale) {
  torch::NoGradGuard no_grad;
  for (auto& p : module.parameters()) p.add_(scale * torch::randn_like(p));
}

double relative_error(const torch::Tensor& a, const torch::Tensor& b) {
  return ((a - b).abs().max() / b.abs().max()).item<double>();
}

HinetOptions tiny_options() {
  HinetOptions options;
  options.blocks = 3;
  options.growth = 8;
  return options;
}

TEST(Hinet, BlockStackIsExactlyInvertible) {
  torch::manual_seed(1);
  HinetModel model(tiny_options(), haar());
  randomise(model, 0.05);
  torch::NoGradGuard no_grad;
  const auto x = torch::randn({2, 24, 8, 8});
  const auto y = model.run_blocks(x);
  // The stack is far from the identity, so the round trip is a real test.
  EXPECT_GT((y - x).abs().max().item<double>(), 0.1);
  EXPECT_LT(relative_error(model.run_blocks_inverse(y), x), 1e-4);
  EXPECT_LT(relative_error(model.run_blocks(model.run_blocks_inverse(x)), x), 1e-4);
}

TEST(Hinet, EmbedThenExactReverseWithTheLostHalfRecoversTheSecret) {
  torch::manual_seed(2);
  HinetModel model(tiny_options(), haar());
  randomise(model, 0.05);
  torch::NoGradGuard no_grad;
  const auto cover = torch::rand({1, 3, 16, 16}) * 2 - 1;
  const auto secret = torch::rand({1, 3, 16, 16}) * 2 - 1;
  const auto embedding = model.embed(cover, secret);
  EXPECT_GT((embedding.stego - cover).abs().max().item<double>(), 1e-2);
  const auto x = model.run_blocks_inverse(
      torch::cat({model.to_coefficients(embedding.stego), embedding.lost}, 1));
  const auto recovered = model.from_coefficients(x.narrow(1, 12, 12), 16, 16);
  EXPECT_LT((recovered - secret).abs().max().item<double>(), 1e-4);
}

TEST(Hinet, TwoSecretsBlockStackIsExactlyInvertible) {
  torch::manual_seed(11);
  HinetOptions options = tiny_options();
  options.secrets = 2;
  HinetModel model(options, haar());
  randomise(model, 0.05);
  torch::NoGradGuard no_grad;
  const auto x = torch::randn({2, 36, 8, 8});  // cover 12 + 2 x 12 secret coefficients
  const auto y = model.run_blocks(x);
  EXPECT_GT((y - x).abs().max().item<double>(), 0.1);
  EXPECT_LT(relative_error(model.run_blocks_inverse(y), x), 1e-4);
  EXPECT_LT(relative_error(model.run_blocks(model.run_blocks_inverse(x)), x), 1e-4);
}

TEST(Hinet, TwoSecretsComeBackExactlyWithTheLostHalf) {
  torch::manual_seed(12);
  HinetOptions options = tiny_options();
  options.secrets = 2;
  HinetModel model(options, haar());
  randomise(model, 0.05);
  torch::NoGradGuard no_grad;
  const auto cover = torch::rand({1, 3, 16, 16}) * 2 - 1;
  const auto secrets = torch::rand({1, 6, 16, 16}) * 2 - 1;
  const auto embedding = model.embed(cover, secrets);
  EXPECT_EQ(embedding.stego.sizes(), cover.sizes());
  EXPECT_EQ(model.extract(embedding.stego).sizes(), secrets.sizes());
  const auto x = model.run_blocks_inverse(
      torch::cat({model.to_coefficients(embedding.stego), embedding.lost}, 1));
  const auto recovered = model.from_coefficients(x.narrow(1, 12, 24), 16, 16);
  EXPECT_LT((recovered - secrets).abs().max().item<double>(), 1e-4);
}

TEST(Hinet, TwoSecretsTrainEachToItsOwnOutput) {
  torch::manual_seed(13);
  const auto model = build_model({{"blocks", 2}, {"growth", 8}}, /*secrets=*/2);
  randomise(*model, 0.05);
  const auto cover = stegolab::testing::smooth_images(4, 16);
  const auto secrets = torch::cat(
      {stegolab::testing::smooth_images(4, 16), stegolab::testing::smooth_images(4, 16)}, 1);
  const auto before = stegolab::testing::recovery_psnr_matrix(*model, cover, secrets, 2);
  stegolab::testing::train_steps(*model, cover, secrets, 40, 2e-3);
  const auto after = stegolab::testing::recovery_psnr_matrix(*model, cover, secrets, 2);
  for (int j = 0; j < 2; ++j) {
    // Each recovery improves, and resembles its own secret, not the other one.
    EXPECT_GT(after[j][j], before[j][j] + 5.0) << "secret " << j + 1;
    EXPECT_GT(after[j][j], after[j][1 - j] + 5.0) << "secret " << j + 1;
  }
}

TEST(Hinet, UntrainedNetworkPassesTheCoverThrough) {
  // conv5 of every subnet starts at zero, as in the paper's code.
  const auto model = build_model({{"blocks", 2}, {"growth", 8}});
  torch::NoGradGuard no_grad;
  const auto cover = torch::rand({1, 3, 16, 16}) * 2 - 1;
  const auto secret = torch::rand({1, 3, 16, 16}) * 2 - 1;
  EXPECT_LT((model->embed(cover, secret).stego - cover).abs().max().item<double>(), 1e-5);
}

TEST(Hinet, ParameterCountOfTheDefaultConfiguration) {
  const auto model = build_model(nlohmann::json::object());
  // Defaults: 16 blocks, growth 32; RGB through a one-level transform gives
  // 12 coefficient channels per half. A dense subnet's 3x3 convolutions read
  // 12, 44, 76, 108 and 140 channels and write 32, 32, 32, 32 and 12.
  const int64_t half = 12, growth = 32, blocks = 16;
  int64_t subnet = 0;
  for (int64_t k = 0; k < 5; ++k) {
    const int64_t out = k == 4 ? half : growth;
    subnet += (half + k * growth) * out * 9 + out;
  }
  int64_t count = 0;
  for (const auto& p : model->parameters()) count += p.numel();
  EXPECT_EQ(count, blocks * 3 * subnet);
  // 3488 + 12704 + 21920 + 31136 + 15132 = 84380 per subnet: the paper's 4.05M.
  EXPECT_EQ(count, 4050240);
}

TEST(Hinet, ParameterCountWithThreeSecrets) {
  // phi reads the 3 secrets' 36 channels and writes the cover's 12; rho and
  // eta read 12 and write 36 (docs/baselines.md).
  const auto model = build_model(nlohmann::json::object(), /*secrets=*/3);
  const auto subnet = [](int64_t in, int64_t out) {
    int64_t count = 0;
    for (int64_t k = 0; k < 5; ++k) {
      const int64_t written = k == 4 ? out : 32;
      count += (in + k * 32) * written * 9 + written;
    }
    return count;
  };
  int64_t count = 0;
  for (const auto& p : model->parameters()) count += p.numel();
  EXPECT_EQ(count, 16 * (subnet(36, 12) + 2 * subnet(12, 36)));
  EXPECT_EQ(count, 5502528);
}

TEST(Hinet, FlopsFromLayerShapes) {
  const auto model = build_model({{"blocks", 2}, {"growth", 8}});
  // 32x32 RGB -> 16x16 positions; each subnet: 3x3 convs 12->8, 20->8, 28->8,
  // 36->8, 44->12; three subnets per block; 2 FLOPs per multiply-add; embed
  // and extract evaluate every subnet once each.
  const double positions = 16.0 * 16.0;
  const double subnet = 2.0 * 9.0 * (12 * 8 + 20 * 8 + 28 * 8 + 36 * 8 + 44 * 12);
  EXPECT_DOUBLE_EQ(model->flops_per_image(32, 32), 2.0 * 2.0 * 3.0 * subnet * positions);
}

TEST(Hinet, RefusesAMissingOrMultiLevelTransform) {
  stegolab::BuildContext context;  // no transform
  try {
    registry().build<stegolab::StegoModel>("hinet", nlohmann::json::object(), context);
    FAIL() << "built without a transform";
  } catch (const stegolab::Error& error) {
    EXPECT_NE(std::string(error.what()).find("model 'hinet': needs a transform"), std::string::npos)
        << error.what();
  }
  context.transform = registry().build<stegolab::Transform>("haar_dwt", {{"levels", 2}}, context);
  try {
    registry().build<stegolab::StegoModel>("hinet", nlohmann::json::object(), context);
    FAIL() << "built with a two-level transform";
  } catch (const stegolab::Error& error) {
    EXPECT_NE(std::string(error.what()).find("4 bands per channel"), std::string::npos)
        << error.what();
  }
  EXPECT_THROW(build_model({{"lost", "uniform"}}), stegolab::ParamError);
}

TEST(Hinet, TinyTrainingImprovesHidingAndRecovery) {
  torch::manual_seed(5);
  const auto model = build_model({{"blocks", 2}, {"growth", 8}});
  // From the paper's initialisation the stego is the cover (perfect hiding,
  // nothing recovered); a perturbed start gives both halves room to improve.
  randomise(*model, 0.05);
  const auto cover = stegolab::testing::smooth_images(4, 16);
  const auto secret = stegolab::testing::smooth_images(4, 16);
  const auto before = stegolab::testing::measure_quality(*model, cover, secret);
  stegolab::testing::train_steps(*model, cover, secret, 40, 2e-3);
  const auto after = stegolab::testing::measure_quality(*model, cover, secret);
  // Measured (seed 5, one thread): hiding 14.6 -> 25.0 dB, recovery 9.6 -> 24.1 dB.
  EXPECT_GT(after.hide_psnr, before.hide_psnr + 6.0)
      << before.hide_psnr << " -> " << after.hide_psnr;
  EXPECT_GT(after.rec_psnr, before.rec_psnr + 8.0) << before.rec_psnr << " -> " << after.rec_psnr;
}

}  // namespace
