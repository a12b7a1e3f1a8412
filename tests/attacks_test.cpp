// The attack plugins (plugins/attacks/standard_attacks), built through the
// plugin registry: shapes, ranges, determinism, JPEG's training stand-in
// against real JPEG, cropout/dropout filling with the original, and the
// per-attack recovery metrics a real run stores.
#include <cmath>
#include <map>
#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "support/build_locations.hpp"
#include "metrics/metric_convention.hpp"
#include "plugin_host/plugin_registry.hpp"
#include "stegolab/attack.hpp"
#include "stegolab/image_quality.hpp"
#include "stegolab/pixel_scale.hpp"
#include "store/result_store.hpp"
#include "support/tiny_experiment.hpp"
#include "support/tiny_run_plugins.hpp"
#include "support/test_plugin_registry.hpp"

namespace stegolab {
namespace {

const PluginRegistry& attack_registry() {
  return stegolab::testing::test_plugin_registry();
}

std::shared_ptr<Attack> make_attack(const std::string& name,
                                    const nlohmann::json& params = nlohmann::json::object()) {
  return attack_registry().build<Attack>(name, params, BuildContext{});
}

// A smooth 8-bit picture (gradients and a ripple), NCHW in [-1, 1]: what
// JPEG is made for, so its losses are those of real photographs, not noise.
torch::Tensor smooth_images(int64_t n = 2, int64_t size = 32) {
  const auto rows = torch::arange(size, torch::kFloat32).view({1, 1, size, 1});
  const auto cols = torch::arange(size, torch::kFloat32).view({1, 1, 1, size});
  const auto channel = torch::arange(3, torch::kFloat32).view({1, 3, 1, 1});
  const auto sample = torch::arange(n, torch::kFloat32).view({n, 1, 1, 1});
  const auto pixels = 128 + 60 * torch::sin(0.21 * rows + 0.13 * cols + channel + sample) +
                      30 * torch::cos(0.05 * rows * (channel + 1));
  return quantize_to_8bit(pixels / kPixelHalfRange - 1.0);
}

double psnr_of(const torch::Tensor& a, const torch::Tensor& b) {
  return psnr(to_pixel_scale(a, false), to_pixel_scale(b, false), 255.0).mean().item<double>();
}

TEST(Attacks, EveryAttackKeepsShapeAndRangeAndRepeatsInEvaluation) {
  const torch::Tensor image = smooth_images();
  const torch::Tensor original = torch::zeros_like(image);
  const std::map<std::string, nlohmann::json> attacks = {
      {"quantize8", nlohmann::json::object()}, {"jpeg", {{"quality", 50}}},
      {"gaussian_noise", {{"sigma", 4.0}}},    {"resize", {{"factor", 0.5}}},
      {"crop", {{"keep", 0.5}}},               {"dropout", {{"keep", 0.5}}}};
  for (const auto& [name, params] : attacks) {
    const auto attack = make_attack(name, params);
    const torch::Tensor once = attack->apply(image, original, AttackMode::evaluation, 7);
    ASSERT_EQ(once.sizes(), image.sizes()) << name;
    EXPECT_EQ(once.scalar_type(), torch::kFloat32) << name;
    // Noise may leave [-1, 1] by a few sigma; the rest stay inside.
    const double margin = name == "gaussian_noise" ? 8 * 4.0 / kPixelHalfRange : 1e-6;
    EXPECT_LE(once.abs().max().item<double>(), 1.0 + margin) << name;
    EXPECT_TRUE(torch::equal(once, attack->apply(image, original, AttackMode::evaluation, 7)))
        << name << " is not deterministic in evaluation";
    // The test images are 8-bit already: only quantize8 leaves them as they are.
    EXPECT_EQ(torch::equal(once, image), name == "quantize8") << name;
  }
}

TEST(Attacks, RandomAttacksDrawAfreshPerSeed) {
  const torch::Tensor image = smooth_images();
  const torch::Tensor original = torch::zeros_like(image);
  for (const std::string name : {"gaussian_noise", "crop", "dropout"}) {
    const auto attack = make_attack(name);
    EXPECT_FALSE(torch::equal(attack->apply(image, original, AttackMode::evaluation, 1),
                              attack->apply(image, original, AttackMode::evaluation, 2)))
        << name;
  }
}

TEST(Attacks, LabelsNameTheParameters) {
  EXPECT_EQ(make_attack("jpeg", {{"quality", 90}})->label(), "jpeg(q=90)");
  EXPECT_EQ(make_attack("gaussian_noise", {{"sigma", 1.5}})->label(), "gaussian_noise(sigma=1.5)");
  EXPECT_EQ(make_attack("resize", {{"factor", 0.5}})->label(), "resize(f=0.5)");
  EXPECT_EQ(make_attack("crop", {{"keep", 0.25}})->label(), "crop(keep=0.25)");
  EXPECT_EQ(make_attack("dropout")->label(), "dropout(keep=0.7)");
  EXPECT_EQ(make_attack("quantize8")->label(), "quantize8");
}

TEST(Attacks, QuantizeLandsOnEightBitLevelsWithAnIdentityGradient) {
  const torch::Tensor image = (torch::rand({2, 3, 8, 8}) * 2 - 1).requires_grad_(true);
  const auto attack = make_attack("quantize8");
  const torch::Tensor out = attack->apply(image, image.detach(), AttackMode::training, 0);
  const torch::Tensor pixels = (out.detach() + 1) * kPixelHalfRange;
  EXPECT_LT((pixels - pixels.round()).abs().max().item<double>(), 1e-4);
  out.sum().backward();
  EXPECT_TRUE(torch::allclose(image.grad(), torch::ones_like(image)));
}

TEST(Attacks, JpegTrainingStandInIsTheRealJpegWithAnIdentityGradient) {
  // The stand-in is straight-through real JPEG: its forward output equals
  // the evaluated JPEG bit for bit at every quality (PSNR distance infinite).
  const torch::Tensor image = smooth_images();
  double previous = 0.0;
  for (const int quality : {50, 75, 90}) {
    const auto attack = make_attack("jpeg", {{"quality", quality}});
    const torch::Tensor real = attack->apply(image, image, AttackMode::evaluation, 0);
    const torch::Tensor input = image.clone().requires_grad_(true);
    const torch::Tensor stand_in = attack->apply(input, image, AttackMode::training, 0);
    EXPECT_TRUE(torch::equal(stand_in.detach(), real)) << "quality " << quality;
    stand_in.sum().backward();
    EXPECT_TRUE(torch::allclose(input.grad(), torch::ones_like(input)));
    // A real JPEG: lossy, 8-bit, and better at a higher quality.
    const double distance = psnr_of(real, image);
    EXPECT_GT(distance, 25.0) << "quality " << quality;
    EXPECT_LT(distance, 60.0) << "quality " << quality;
    EXPECT_GT(distance, previous) << "quality " << quality;
    previous = distance;
    const torch::Tensor pixels = (real + 1) * kPixelHalfRange;
    EXPECT_LT((pixels - pixels.round()).abs().max().item<double>(), 1e-4);
  }
}

TEST(Attacks, JpegKeepsColoursInPlace) {
  // A pure red image stays red: the encoder saw RGB in the order it expects.
  const torch::Tensor red = torch::stack({torch::ones({16, 16}), -torch::ones({16, 16}),
                                          -torch::ones({16, 16})})
                                .unsqueeze(0);
  const torch::Tensor out = make_attack("jpeg", {{"quality", 90}})
                                ->apply(red, red, AttackMode::evaluation, 0);
  EXPECT_GT(out[0][0].mean().item<double>(), 0.9);
  EXPECT_LT(out[0][2].mean().item<double>(), -0.9);
}

TEST(Attacks, CropAndDropoutFillWithTheOriginal) {
  const torch::Tensor image = torch::full({4, 3, 40, 40}, 0.5);
  const torch::Tensor original = torch::full({4, 3, 40, 40}, -0.5);
  for (const std::string name : {"crop", "dropout"}) {
    const torch::Tensor out =
        make_attack(name, {{"keep", 0.25}})->apply(image, original, AttackMode::evaluation, 3);
    const torch::Tensor kept = out == 0.5;
    // Every pixel is either the sent image's or the original's...
    EXPECT_TRUE(kept.logical_or(out == -0.5).all().item<bool>()) << name;
    // ...all channels of a pixel together, a quarter of them kept.
    EXPECT_TRUE(torch::equal(kept.all(1), kept.any(1))) << name;
    EXPECT_NEAR(kept.to(torch::kFloat32).mean().item<double>(), 0.25, 0.05) << name;
  }
  // Cropout keeps one 20x20 rectangle (sqrt(0.25) of each side) per image.
  const torch::Tensor out =
      make_attack("crop", {{"keep", 0.25}})->apply(image, original, AttackMode::evaluation, 3);
  const torch::Tensor rows = (out[0][0] == 0.5).any(1);
  const torch::Tensor cols = (out[0][0] == 0.5).any(0);
  EXPECT_EQ(rows.sum().item<int64_t>(), 20);
  EXPECT_EQ(cols.sum().item<int64_t>(), 20);
  EXPECT_EQ((out[0][0] == 0.5).sum().item<int64_t>(), 400);
}

TEST(Attacks, NoiseHasTheRequestedSigmaOnTheEightBitScale) {
  const torch::Tensor image = torch::zeros({4, 3, 64, 64});
  const torch::Tensor out = make_attack("gaussian_noise", {{"sigma", 10.0}})
                                ->apply(image, image, AttackMode::evaluation, 5);
  EXPECT_NEAR((out * kPixelHalfRange).std().item<double>(), 10.0, 0.3);
}

TEST(Attacks, ResizeKeepsFlatImagesAndBlursDetail) {
  const auto attack = make_attack("resize", {{"factor", 0.5}});
  const torch::Tensor flat = torch::full({1, 3, 16, 16}, 0.25);
  EXPECT_TRUE(torch::allclose(attack->apply(flat, flat, AttackMode::evaluation, 0), flat));
  // A one-pixel checkerboard is what halving cannot keep.
  const auto index = torch::arange(16);
  const torch::Tensor checker =
      ((index.view({16, 1}) + index.view({1, 16})).remainder(2) * 2 - 1).to(torch::kFloat32)
          .expand({1, 3, 16, 16});
  const torch::Tensor out = attack->apply(checker, checker, AttackMode::evaluation, 0);
  EXPECT_LT(out.abs().max().item<double>(), 0.1);
}

TEST(Attacks, ARunStoresRecoveryMetricsPerAttack) {
  if (const std::string missing = missing_tiny_run_plugin(); !missing.empty()) {
    GTEST_SKIP() << "plugin " << missing << " is not built";
  }
  const auto dir = fresh_test_folder("attacks_test");
  const nlohmann::json document = tiny_experiment(
      {{"task",
        {{"plugin", "steganography"},
         {"params",
          {{"train_attacks", {{{"plugin", "quantize8"}}, {{"plugin", "dropout"}}}}}}}},
       {"eval",
        {{"attacks",
          {{{"plugin", "jpeg"}, {"params", {{"quality", 90}}}}, {{"plugin", "gaussian_noise"}}}}}}});
  const CommandResult run = run_tiny_experiment(dir, document);
  ASSERT_EQ(run.status, 0) << run.output;
  ResultStore store(dir / "tiny.db", ResultStore::Mode::read_only);
  const auto trial = store.trials(store.experiment("tiny").id).at(0);
  std::map<std::string, double> test;
  for (const auto& row : store.final_metrics(trial.id)) {
    if (row.split == Split::test) test[row.metric] = row.value;
  }
  for (const std::string label : {"jpeg(q=90)", "gaussian_noise(sigma=2)"}) {
    for (const std::string metric : {"rec_psnr", "rec_ssim", "rec_psnr_y_matlab", "ber"}) {
      ASSERT_EQ(test.count(metric + "@" + label), 1u) << metric << "@" << label;
    }
    // The clean 8-bit path is still recorded under its own names.
    EXPECT_EQ(test.count("rec_psnr"), 1u);
    // The database explains the per-attack names.
    const auto convention = find_metric_convention(store.conventions(), "rec_psnr@" + label);
    ASSERT_TRUE(convention.has_value()) << label;
    EXPECT_EQ(convention->better, "higher");
    EXPECT_NE(convention->description.find("evaluation attack"), std::string::npos);
  }
}

TEST(Attacks, AMalformedAttackListIsOneLineNamingTheParameter) {
  if (const std::string missing = missing_tiny_run_plugin(); !missing.empty()) {
    GTEST_SKIP() << "plugin " << missing << " is not built";
  }
  const auto dir = fresh_test_folder("attacks_test");
  const CommandResult run = run_tiny_experiment(
      dir, tiny_experiment({{"eval", {{"attacks", {{{"name", "jpeg"}}}}}}}));
  EXPECT_NE(run.status, 0);
  EXPECT_NE(run.output.find("parameter 'attacks'[0]: expected {\"plugin\": NAME"),
            std::string::npos)
      << run.output;
}

}  // namespace
}  // namespace stegolab
