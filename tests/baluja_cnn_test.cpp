// The baluja_cnn model: shapes at any size, nothing lost, a transform left
// unused, the parameter count and FLOPs by formula, clear errors, and a tiny
// training that improves hiding and recovery.
#include <memory>

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "support/build_locations.hpp"
#include "plugin_host/plugin_registry.hpp"
#include "stegolab/model.hpp"
#include "support/haar_test_transform.hpp"
#include "support/tiny_stego_training.hpp"

namespace {

stegolab::PluginRegistry& registry() {
  static stegolab::PluginRegistry instance = [] {
    stegolab::PluginRegistry r;
    r.discover({STEGOLAB_TEST_PLUGIN_DIR});
    return r;
  }();
  return instance;
}

std::shared_ptr<stegolab::StegoModel> build_model(const nlohmann::json& params,
                                                  int64_t channels = 3) {
  stegolab::BuildContext context;
  context.image_size = 16;
  context.channels = channels;
  return registry().build<stegolab::StegoModel>("baluja_cnn", params, context);
}

int64_t parameter_count(torch::nn::Module& module) {
  int64_t count = 0;
  for (const auto& p : module.parameters()) count += p.numel();
  return count;
}

TEST(BalujaCnn, KeepsAnyImageSizeAndLosesNothing) {
  // 15x17: odd sizes, where the 4x4 branch's one-sided padding matters.
  const auto model = build_model({{"width", 4}, {"layers", 2}});
  torch::NoGradGuard no_grad;
  const auto cover = torch::rand({2, 3, 15, 17}) * 2 - 1;
  const auto secret = torch::rand({2, 3, 15, 17}) * 2 - 1;
  const auto embedding = model->embed(cover, secret);
  EXPECT_EQ(embedding.stego.sizes(), cover.sizes());
  EXPECT_FALSE(embedding.lost.defined());
  EXPECT_EQ(model->extract(embedding.stego).sizes(), cover.sizes());
}

TEST(BalujaCnn, LeavesATransformUnused) {
  // Pixel space: the same weights give the same stego with or without a
  // transform in the build context.
  stegolab::BuildContext context;
  context.transform = std::make_shared<stegolab::testing::HaarTestTransform>();
  torch::manual_seed(3);
  const auto with_transform =
      registry().build<stegolab::StegoModel>("baluja_cnn", {{"width", 4}, {"layers", 1}}, context);
  torch::manual_seed(3);
  const auto without = build_model({{"width", 4}, {"layers", 1}});
  torch::NoGradGuard no_grad;
  const auto cover = torch::rand({1, 3, 8, 8});
  EXPECT_TRUE(
      torch::equal(with_transform->embed(cover, cover).stego, without->embed(cover, cover).stego));
}

TEST(BalujaCnn, ParameterCountOfTheDefaultConfiguration) {
  const auto model = build_model(nlohmann::json::object());
  // A layer of three parallel convolutions (3x3, 4x4, 5x5; 50 filters each)
  // reading `in` channels: in * 50 * (9 + 16 + 25) weights + 150 biases.
  const auto layer = [](int64_t in) { return in * 50 * 50 + 150; };
  const int64_t deep = 4 * layer(150);                   // layers 2..5 of every network
  const int64_t prep = layer(3) + deep;                  // secret -> 150 features
  const int64_t hide = layer(153) + deep + 150 * 3 + 3;  // [features | cover] -> stego
  const int64_t reveal = layer(3) + deep + 150 * 3 + 3;  // stego -> secret
  EXPECT_EQ(parameter_count(*model), prep + hide + reveal);
  EXPECT_EQ(parameter_count(*model), 4900656);
}

TEST(BalujaCnn, FlopsFromLayerShapes) {
  const auto model = build_model({{"width", 4}, {"layers", 2}});
  // Per pixel, 2 FLOPs per multiply-add; kernel areas 9 + 16 + 25 = 50.
  const double prep = 2.0 * 50 * 4 * (3 + 12);
  const double hide = 2.0 * 50 * 4 * (15 + 12) + 2.0 * 12 * 3;
  const double reveal = 2.0 * 50 * 4 * (3 + 12) + 2.0 * 12 * 3;
  EXPECT_DOUBLE_EQ(model->flops_per_image(10, 20), (prep + hide + reveal) * 200.0);
}

TEST(BalujaCnn, ClearErrors) {
  const auto model = build_model({{"width", 4}, {"layers", 1}});
  try {
    model->extract(torch::zeros({1, 4, 8, 8}));
    FAIL() << "extracted from a 4-channel image";
  } catch (const stegolab::Error& error) {
    EXPECT_NE(std::string(error.what()).find("model 'baluja_cnn'"), std::string::npos)
        << error.what();
  }
  EXPECT_THROW(model->embed(torch::zeros({1, 3, 8, 8}), torch::zeros({1, 3, 8, 6})),
               stegolab::Error);
  EXPECT_THROW(build_model({{"width", 0}}), stegolab::ParamError);
}

TEST(BalujaCnn, RefusesSeveralSecretsNamingItself) {
  stegolab::BuildContext context;
  context.secrets = 2;
  try {
    registry().build<stegolab::StegoModel>("baluja_cnn", nlohmann::json::object(), context);
    FAIL() << "built for 2 secrets";
  } catch (const stegolab::Error& error) {
    EXPECT_STREQ(error.what(),
                 "model 'baluja_cnn': hides 1 secret per cover, the task asks for 2 "
                 "(task.params.secrets)");
  }
}

TEST(BalujaCnn, TinyTrainingImprovesHidingAndRecovery) {
  torch::manual_seed(5);
  const auto model = build_model({{"width", 8}, {"layers", 2}});
  const auto cover = stegolab::testing::smooth_images(4, 16);
  const auto secret = stegolab::testing::smooth_images(4, 16);
  const auto before = stegolab::testing::measure_quality(*model, cover, secret);
  stegolab::testing::train_steps(*model, cover, secret, 40, 2e-3);
  const auto after = stegolab::testing::measure_quality(*model, cover, secret);
  // Measured (seed 5, one thread): hiding 13.3 -> 22.7 dB, recovery 13.9 -> 18.1 dB.
  EXPECT_GT(after.hide_psnr, before.hide_psnr + 5.0)
      << before.hide_psnr << " -> " << after.hide_psnr;
  EXPECT_GT(after.rec_psnr, before.rec_psnr + 2.5) << before.rec_psnr << " -> " << after.rec_psnr;
}

}  // namespace
