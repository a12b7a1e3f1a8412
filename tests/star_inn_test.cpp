// The star_inn model: exact invertibility of the block stack, the ActNorm
// state in checkpoints, the parameter count and FLOPs by formula, the
// ycbcr_residual composition and the "recompute" memory mode.
#include <cmath>
#include <memory>
#include <sstream>

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "support/build_locations.hpp"
#include "plugin_host/plugin_registry.hpp"
#include "stegolab/model.hpp"
#include "stegolab/torch_compat.hpp"
#include "stegolab/transform.hpp"
#include "support/haar_test_transform.hpp"
#include "support/tiny_stego_training.hpp"

// The plugin's types are hidden inside its library, so the block-level tests
// compile the plugin's sources into this test as well (the registry tests
// below still go through the real plugin).
#include "../plugins/models/star_inn/act_norm.cpp"
#include "../plugins/models/star_inn/affine_coupling.cpp"
#include "../plugins/models/star_inn/coupling_subnet.cpp"
#include "../plugins/models/star_inn/invertible_conv1x1.cpp"
#include "../plugins/models/star_inn/reversible_stack.cpp"
#include "../plugins/models/star_inn/star_inn_block.cpp"
#include "../plugins/models/star_inn/star_inn_model.cpp"

namespace {

using stegolab::star_inn::StarInnModel;
using stegolab::star_inn::StarInnOptions;

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

std::shared_ptr<stegolab::StegoModel> build_model(const nlohmann::json& params) {
  stegolab::BuildContext context;
  context.image_size = 16;
  context.transform = haar();
  return registry().build<stegolab::StegoModel>("star_inn", params, context);
}

// Moves every parameter away from its (identity-like) initialisation so that
// each block really mixes cover and secret.
void randomise(torch::nn::Module& module, double scale) {
  torch::NoGradGuard no_grad;
  for (auto& p : module.parameters()) p.add_(scale * torch::randn_like(p));
}

// Gives `to` the parameters of `from` and the buffers both have (models of
// one architecture; a composition may add buffers of its own).
void copy_state(torch::nn::Module& from, torch::nn::Module& to) {
  torch::NoGradGuard no_grad;
  const auto parameters = from.named_parameters();
  for (auto& p : to.named_parameters()) p.value().copy_(parameters[p.key()]);
  const auto buffers = from.named_buffers();
  for (auto& b : to.named_buffers()) {
    if (const auto* value = buffers.find(b.key())) b.value().copy_(*value);
  }
}

double relative_error(const torch::Tensor& a, const torch::Tensor& b) {
  return ((a - b).abs().max() / b.abs().max()).item<double>();
}

TEST(StarInn, TransformRoundTripOfTheTestHaar) {
  // Guards the test transform itself: inverse(forward(x)) == x.
  const auto x = torch::randn({2, 3, 8, 8});
  const auto t = haar();
  EXPECT_LT((t->inverse(t->forward(x)) - x).abs().max().item<double>(), 1e-5);
}

TEST(StarInn, BlockStackIsExactlyInvertibleAfterTraining) {
  torch::manual_seed(1);
  StarInnOptions options;
  options.blocks = 3;
  options.hidden = 16;
  StarInnModel model(options, haar());
  randomise(model, 0.05);
  // A few optimiser steps on a real objective, so the check runs on trained
  // (not hand-set) weights; the first step also initialises ActNorm.
  torch::optim::Adam adam(model.parameters(), torch::optim::AdamOptions(1e-2));
  for (int step = 0; step < 3; ++step) {
    const auto cover = torch::rand({2, 3, 16, 16}) * 2 - 1;
    const auto secret = torch::rand({2, 3, 16, 16}) * 2 - 1;
    const auto embedding = model.embed(cover, secret);
    const auto loss = torch::mse_loss(embedding.stego, cover) +
                      torch::mse_loss(model.extract(embedding.stego), secret);
    adam.zero_grad();
    loss.backward();
    adam.step();
  }
  torch::NoGradGuard no_grad;
  const auto x = torch::randn({2, 24, 8, 8});
  const auto y = model.run_blocks(x);
  // The stack is far from the identity, so the round trip below is a real test.
  EXPECT_GT((y - x).abs().max().item<double>(), 0.1);
  EXPECT_LT(relative_error(model.run_blocks_inverse(y), x), 1e-4);
  EXPECT_LT(relative_error(model.run_blocks(model.run_blocks_inverse(x)), x), 1e-4);
}

TEST(StarInn, EmbedThenExactReverseWithTheLostHalfRecoversTheSecret) {
  // extract() uses a prior in place of the lost half; with the true lost half
  // the reverse pass must give back the secret exactly.
  torch::manual_seed(2);
  StarInnOptions options;
  options.blocks = 2;
  options.hidden = 8;
  StarInnModel model(options, haar());
  randomise(model, 0.05);
  torch::NoGradGuard no_grad;
  const auto cover = torch::rand({1, 3, 16, 16}) * 2 - 1;
  const auto secret = torch::rand({1, 3, 16, 16}) * 2 - 1;
  const auto embedding = model.embed(cover, secret);
  const auto x = model.run_blocks_inverse(
      torch::cat({model.to_coefficients(embedding.stego), embedding.lost}, 1));
  const auto recovered = model.from_coefficients(x.narrow(1, 12, 12), 16, 16);
  EXPECT_LT((recovered - secret).abs().max().item<double>(), 1e-4);
}

TEST(StarInn, TwoSecretsBlockStackIsExactlyInvertible) {
  torch::manual_seed(21);
  StarInnOptions options;
  options.blocks = 3;
  options.hidden = 16;
  options.secrets = 2;
  StarInnModel model(options, haar());
  randomise(model, 0.05);
  torch::NoGradGuard no_grad;
  const auto x = torch::randn({2, 36, 8, 8});  // cover 12 + 2 x 12 secret coefficients
  const auto y = model.run_blocks(x);
  EXPECT_GT((y - x).abs().max().item<double>(), 0.1);
  EXPECT_LT(relative_error(model.run_blocks_inverse(y), x), 1e-4);
  EXPECT_LT(relative_error(model.run_blocks(model.run_blocks_inverse(x)), x), 1e-4);
}

TEST(StarInn, TwoSecretsComeBackExactlyWithTheLostHalf) {
  torch::manual_seed(22);
  StarInnOptions options;
  options.blocks = 2;
  options.hidden = 8;
  options.secrets = 2;
  StarInnModel model(options, haar());
  randomise(model, 0.05);
  torch::NoGradGuard no_grad;
  const auto cover = torch::rand({1, 3, 16, 16}) * 2 - 1;
  const auto secrets = torch::rand({1, 6, 16, 16}) * 2 - 1;
  const auto embedding = model.embed(cover, secrets);
  EXPECT_EQ(model.extract(embedding.stego).sizes(), secrets.sizes());
  const auto x = model.run_blocks_inverse(
      torch::cat({model.to_coefficients(embedding.stego), embedding.lost}, 1));
  const auto recovered = model.from_coefficients(x.narrow(1, 12, 24), 16, 16);
  EXPECT_LT((recovered - secrets).abs().max().item<double>(), 1e-4);
}

TEST(StarInn, TwoSecretsTrainEachToItsOwnOutput) {
  torch::manual_seed(23);
  StarInnOptions options;
  options.blocks = 2;
  options.hidden = 16;
  options.secrets = 2;
  StarInnModel model(options, haar());
  const auto cover = stegolab::testing::smooth_images(4, 16);
  const auto secrets = torch::cat(
      {stegolab::testing::smooth_images(4, 16), stegolab::testing::smooth_images(4, 16)}, 1);
  // The first embed initialises ActNorm; measure after it.
  const auto before = stegolab::testing::recovery_psnr_matrix(model, cover, secrets, 2);
  stegolab::testing::train_steps(model, cover, secrets, 40, 2e-3);
  const auto after = stegolab::testing::recovery_psnr_matrix(model, cover, secrets, 2);
  for (int j = 0; j < 2; ++j) {
    // Each recovery improves, and resembles its own secret, not the other one.
    EXPECT_GT(after[j][j], before[j][j] + 5.0) << "secret " << j + 1;
    EXPECT_GT(after[j][j], after[j][1 - j] + 5.0) << "secret " << j + 1;
  }
}

TEST(StarInn, RecomputeModeGivesTheSameGradients) {
  torch::manual_seed(3);
  StarInnOptions options;
  options.blocks = 3;
  options.hidden = 8;
  StarInnModel standard(options, haar());
  randomise(standard, 0.05);
  options.memory = "recompute";
  StarInnModel recompute(options, haar());
  copy_state(standard, recompute);
  const auto cover = torch::rand({2, 3, 16, 16}) * 2 - 1;
  const auto secret = torch::rand({2, 3, 16, 16}) * 2 - 1;
  const auto target = torch::rand({2, 3, 16, 16}) * 2 - 1;
  // Embedding and extraction both run their stacks reversibly in recompute
  // mode; the loss reaches the parameters through both, as in training.
  for (auto* model : {&standard, &recompute}) {
    const auto e = model->embed(cover, secret);
    const auto recovered = model->extract(e.stego);
    (torch::mse_loss(e.stego, target) + e.lost.pow(2).mean() + torch::mse_loss(recovered, secret))
        .backward();
  }
  const auto recomputed = recompute.named_parameters();
  int compared = 0;
  for (const auto& p : standard.named_parameters()) {
    const auto& g = p.value().grad();
    ASSERT_TRUE(g.defined()) << p.key();
    const auto& h = recomputed[p.key()].grad();
    ASSERT_TRUE(h.defined()) << p.key();
    const double scale = std::max(g.abs().max().item<double>(), 1e-6);
    EXPECT_LT((g - h).abs().max().item<double>() / scale, 1e-4) << p.key();
    ++compared;
  }
  EXPECT_EQ(compared, static_cast<int>(standard.parameters().size()));
}

TEST(StarInn, RecomputeModeTrainsUnderBfloat16Autocast) {
  // Backward runs outside the caller's autocast scope: the recomputation must
  // re-enter it, or the blocks see bf16 activations with fp32 weights.
  torch::manual_seed(7);
  StarInnOptions options;
  options.blocks = 2;
  options.hidden = 8;
  StarInnModel reference(options, haar());
  randomise(reference, 0.05);
  StarInnModel standard(options, haar());
  options.memory = "recompute";
  StarInnModel recompute(options, haar());
  copy_state(reference, standard);
  copy_state(reference, recompute);
  const auto cover = torch::rand({2, 3, 16, 16}) * 2 - 1;
  const auto secret = torch::rand({2, 3, 16, 16}) * 2 - 1;
  // reference: fp32; standard and recompute: under bf16 autocast.
  for (auto* model : {&reference, &standard, &recompute}) {
    torch::Tensor loss;
    {
      stegolab::compat::AutocastScope autocast(torch::kCPU, torch::kBFloat16, model != &reference);
      const auto e = model->embed(cover, secret);
      loss = torch::mse_loss(e.stego.to(torch::kFloat), cover) +
             torch::mse_loss(model->extract(e.stego).to(torch::kFloat), secret);
    }
    loss.backward();
  }
  // All gradients as one vector per model.
  const auto gradients = [](StarInnModel& model) {
    std::vector<torch::Tensor> parts;
    for (const auto& p : model.parameters()) {
      EXPECT_TRUE(p.grad().defined());
      parts.push_back(p.grad().defined() ? p.grad().flatten() : torch::zeros({p.numel()}));
    }
    return torch::cat(parts);
  };
  const auto g_reference = gradients(reference);
  const auto g_standard = gradients(standard);
  const auto g_recompute = gradients(recompute);
  ASSERT_TRUE(torch::isfinite(g_recompute).all().item<bool>());
  const auto relative = [](const torch::Tensor& a, const torch::Tensor& b) {
    return ((a - b).norm() / b.norm()).item<double>();
  };
  // bf16 keeps 8 significant bits, so standard autograd under bf16 is itself
  // a few percent from fp32; the rebuilt activations must not add more than
  // that again.
  const double bf16_error = relative(g_standard, g_reference);
  const double recompute_error = relative(g_recompute, g_standard);
  RecordProperty("bf16_error", std::to_string(bf16_error));
  RecordProperty("recompute_error", std::to_string(recompute_error));
  EXPECT_LT(recompute_error, std::max(2.0 * bf16_error, 0.02))
      << "bf16 vs fp32 " << bf16_error << ", recompute vs standard under bf16 " << recompute_error;
  EXPECT_LT(relative(g_recompute, g_reference), 0.2);
}

TEST(StarInn, ParameterCountOfTheDefaultConfiguration) {
  const auto model = build_model(nlohmann::json::object());
  // Defaults: 8 blocks, hidden 128; RGB through a one-level transform gives
  // 12 coefficient channels per image, so a block sees C = 24, halves of 12.
  const int64_t c = 24, half = 12, hidden = 128, blocks = 8;
  const int64_t subnet =
      (half * hidden * 9 + hidden) + (hidden * hidden * 9 + hidden) + (hidden * half * 9 + half);
  const int64_t act_norm = 2 * c;  // bias + log-scale
  // L and U are stored as full CxC matrices (masked to their strict
  // triangles when used), plus log|s| of length C.
  const int64_t conv1x1 = 2 * c * c + c;
  const int64_t expected = blocks * (act_norm + conv1x1 + 3 * subnet);
  int64_t count = 0;
  for (const auto& p : model->parameters()) count += p.numel();
  EXPECT_EQ(count, expected);
  // 13952 + 147584 + 13836 = 175372 per subnet; (48 + 1176 + 3 * 175372) * 8:
  EXPECT_EQ(expected, 4218720);
}

TEST(StarInn, FlopsFromLayerShapes) {
  const auto model = build_model({{"blocks", 2}, {"hidden", 16}});
  // 32x32 RGB -> 16x16 positions; per block: three subnets of 3x3 convs
  // 12->16, 16->16, 16->12 and one 24x24 1x1 conv; 2 FLOPs per multiply-add;
  // embed + extract run every layer once each.
  const double positions = 16.0 * 16.0;
  const double subnet = 2.0 * 9.0 * (12 * 16 + 16 * 16 + 16 * 12);
  const double block = 3.0 * subnet + 2.0 * 24 * 24;
  EXPECT_DOUBLE_EQ(model->flops_per_image(32, 32), 2.0 * 2.0 * block * positions);
}

TEST(StarInn, ActNormInitialisationSurvivesSaveAndLoad) {
  torch::manual_seed(4);
  const nlohmann::json params{{"blocks", 2}, {"hidden", 8}};
  auto model = build_model(params);
  const auto first = torch::rand({2, 3, 16, 16}) * 2 - 1;
  model->train();
  model->embed(first, first.flip(3));
  const auto buffers = model->named_buffers();
  ASSERT_EQ(buffers["block0.act_norm.initialized"].item<int>(), 1);
  const auto bias = model->named_parameters()["block0.act_norm.bias"].clone();
  // Data-dependent init: the bias is minus the per-channel mean, not zero.
  EXPECT_GT(bias.abs().max().item<double>(), 1e-3);

  std::stringstream stream;
  {
    torch::serialize::OutputArchive archive;
    model->save(archive);
    archive.save_to(stream);
  }
  auto restored = build_model(params);
  {
    torch::serialize::InputArchive archive;
    archive.load_from(stream);
    restored->load(archive);
  }
  EXPECT_EQ(restored->named_buffers()["block1.act_norm.initialized"].item<int>(), 1);
  // A new batch with other statistics must not re-initialise the restored layer.
  restored->train();
  const auto other = torch::rand({2, 3, 16, 16}) * 0.5;
  restored->embed(other, other);
  EXPECT_TRUE(torch::equal(restored->named_parameters()["block0.act_norm.bias"], bias));
  // Whereas a fresh model does initialise from that batch (so the check above can fail).
  auto fresh = build_model(params);
  fresh->train();
  fresh->embed(other, other);
  EXPECT_FALSE(torch::allclose(fresh->named_parameters()["block0.act_norm.bias"], bias));
}

TEST(StarInn, RestoringAnUninitialisedStateInitialisesAgain) {
  // The trainer's divergence guard may restore the state captured before the
  // first batch: ActNorm must then initialise again from the next batch.
  torch::manual_seed(6);
  const nlohmann::json params{{"blocks", 1}, {"hidden", 8}};
  auto model = build_model(params);
  std::stringstream before_first_batch;
  {
    torch::serialize::OutputArchive archive;
    model->save(archive);
    archive.save_to(before_first_batch);
  }
  model->train();
  const auto batch = torch::rand({2, 3, 16, 16}) * 2 - 1;
  model->embed(batch, batch.flip(3));
  ASSERT_EQ(model->named_buffers()["block0.act_norm.initialized"].item<int>(), 1);
  {
    torch::serialize::InputArchive archive;
    archive.load_from(before_first_batch);
    model->load(archive);
  }
  ASSERT_EQ(model->named_buffers()["block0.act_norm.initialized"].item<int>(), 0);
  model->embed(batch, batch.flip(3));
  EXPECT_EQ(model->named_buffers()["block0.act_norm.initialized"].item<int>(), 1);
  EXPECT_GT(model->named_parameters()["block0.act_norm.bias"].abs().max().item<double>(), 1e-3);
}

TEST(StarInn, YcbcrResidualScalesLumaAndChromaOfTheChange) {
  torch::manual_seed(5);
  StarInnOptions options;
  options.blocks = 2;
  options.hidden = 8;
  StarInnModel bands(options, haar());
  randomise(bands, 0.05);
  options.composition = "ycbcr_residual";
  StarInnModel residual(options, haar());
  copy_state(bands, residual);
  bands.eval();
  residual.eval();
  torch::NoGradGuard no_grad;
  const auto cover = torch::rand({1, 3, 16, 16}) * 2 - 1;
  const auto secret = torch::rand({1, 3, 16, 16}) * 2 - 1;
  const auto change = bands.embed(cover, secret).stego - cover;
  const auto scaled = residual.embed(cover, secret).stego - cover;
  // Luma is linear: Y(scaled change) = k_y * Y(change) (BT.601 weights).
  const auto luma = [](const torch::Tensor& t) {
    return 0.299 * t[0][0] + 0.587 * t[0][1] + 0.114 * t[0][2];
  };
  EXPECT_LT((luma(scaled) - 0.02 * luma(change)).abs().max().item<double>(), 1e-5);
  // Cb = -0.168736 R - 0.331264 G + 0.5 B is scaled by k_c = 0.06.
  const auto cb = [](const torch::Tensor& t) {
    return -0.168736 * t[0][0] - 0.331264 * t[0][1] + 0.5 * t[0][2];
  };
  EXPECT_LT((cb(scaled) - 0.06 * cb(change)).abs().max().item<double>(), 1e-5);
  EXPECT_GT(luma(change).abs().max().item<double>(), 1e-2);
}

TEST(StarInn, ExtractGivesAnImageOfTheSecretShape) {
  auto model = build_model({{"blocks", 2}, {"hidden", 8}, {"lost", "gaussian"}});
  torch::NoGradGuard no_grad;
  const auto stego = torch::zeros({3, 3, 16, 16});
  const auto secret = model->extract(stego);
  EXPECT_EQ(secret.sizes(), stego.sizes());
  // The Gaussian prior makes two extractions differ; zeros would not.
  EXPECT_FALSE(torch::allclose(secret, model->extract(stego)));
}

TEST(StarInn, ClearErrors) {
  stegolab::BuildContext context;  // no transform
  try {
    registry().build<stegolab::StegoModel>("star_inn", nlohmann::json::object(), context);
    FAIL() << "built without a transform";
  } catch (const stegolab::Error& error) {
    EXPECT_NE(std::string(error.what()).find("transform"), std::string::npos) << error.what();
  }
  context.transform = haar();
  context.channels = 1;
  EXPECT_THROW(registry().build<stegolab::StegoModel>("star_inn",
                                                      {{"composition", "ycbcr_residual"}}, context),
               stegolab::Error);
  EXPECT_THROW(build_model({{"memory", "cheap"}}), stegolab::ParamError);
}

}  // namespace
