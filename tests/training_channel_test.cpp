// The steganography task's training channel: the curriculum of the attack
// mix (task parameter train_attack_probability), chains of attacks, the
// per-image mask, and that quantize8 + gaussian_noise is exactly the 8-bit /
// noise channel stego_loss had before API 7 (whose parameters are now refused
// with the advice to write this).
#include <string>

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "plugin_host/plugin_registry.hpp"
#include "spec/registry_catalog.hpp"
#include "stegolab/errors.hpp"
#include "stegolab/loss.hpp"
#include "stegolab/pixel_scale.hpp"
#include "support/build_locations.hpp"

#include "../plugins/tasks/steganography/attack_channel.cpp"
#include "../plugins/tasks/steganography/training_curriculum.cpp"
#include "support/test_plugin_registry.hpp"

namespace stegolab {
namespace {

using steganography::AttackChain;
using steganography::AttackChannel;
using steganography::TrainingCurriculum;

const PluginRegistry& registry() {
  return stegolab::testing::test_plugin_registry();
}

// The host's side for the attacks a task lists in its parameters.
class RegistryAttacks : public ComponentBuilder {
 public:
  bool has(const std::string&) const override { return false; }
  std::string plugin(const std::string&) const override { return ""; }
  std::shared_ptr<void> build_erased(const std::string& section, const std::string&,
                                     const BuildContext&) override {
    throw Error("no section " + section + " in this test");
  }
  std::shared_ptr<void> build_plugin_erased(const std::string&, const std::string& plugin,
                                            const nlohmann::json& params,
                                            const BuildContext& context) override {
    return registry().build<Attack>(plugin, params, context);
  }
};

Params task_params(const nlohmann::json& values) { return Params("task 'steganography'", values); }

// The mix [quantize8 then gaussian_noise(sigma)] under `curriculum`, built.
AttackChannel quantize_and_noise(double sigma, TrainingCurriculum curriculum) {
  const nlohmann::json mix = nlohmann::json::parse(
      R"([{"chain": [{"plugin": "quantize8"},
                     {"plugin": "gaussian_noise", "params": {"sigma": )" +
      std::to_string(sigma) + "}}]}]");
  AttackChannel channel(steganography::read_training_mix(task_params({{"mix", mix}}), "mix"),
                        curriculum, {});
  RegistryAttacks builder;
  channel.build(builder, BuildContext{});
  return channel;
}

// What stego_loss's perturb() returned (API 6, stego_loss.cpp), formula for
// formula: the 8-bit stego (straight-through) plus noise_std * N(0, 1), and
// below probability 1 a per-image Bernoulli mask drawn after the noise.
torch::Tensor api6_perturb(const torch::Tensor& stego, double probability, double noise_std) {
  auto perturbed = quantize_to_8bit_straight_through(stego);
  perturbed = perturbed + noise_std * torch::randn_like(stego);
  if (probability >= 1.0) return perturbed;
  const auto mask = torch::bernoulli(
      torch::full({stego.size(0), 1, 1, 1}, probability, stego.options().dtype(torch::kFloat32)));
  return torch::where(mask.to(torch::kBool), perturbed, stego.to(perturbed.scalar_type()));
}

TEST(TrainingChannel, CurriculumRampsLinearlyOverTraining) {
  const TrainingCurriculum ramp = steganography::read_training_curriculum(
      task_params({{"train_attack_probability", {{"start", 0.2}, {"end", 0.8}}}}),
      "train_attack_probability");
  // Linear from start to end: 0.2 + (0.8 - 0.2) * fraction.
  EXPECT_DOUBLE_EQ(ramp.at(0.0), 0.2);
  EXPECT_DOUBLE_EQ(ramp.at(0.5), 0.5);
  EXPECT_DOUBLE_EQ(ramp.at(1.0), 0.8);
  EXPECT_DOUBLE_EQ(ramp.at(-1.0), 0.2);  // clamped
  EXPECT_DOUBLE_EQ(ramp.at(2.0), 0.8);
  const TrainingCurriculum constant = steganography::read_training_curriculum(
      task_params({{"train_attack_probability", 0.3}}), "train_attack_probability");
  EXPECT_DOUBLE_EQ(constant.at(0.0), 0.3);
  EXPECT_DOUBLE_EQ(constant.at(1.0), 0.3);
  // Left out: always (the mix, when there is one, is always applied).
  EXPECT_DOUBLE_EQ(
      steganography::read_training_curriculum(task_params(nlohmann::json::object()), "p").at(0.0),
      1.0);
}

TEST(TrainingChannel, AMalformedCurriculumIsOneLineNamingTheParameter) {
  for (const nlohmann::json& bad :
       {nlohmann::json(1.5), nlohmann::json("0.5"), nlohmann::json({{"start", 0.0}}),
        nlohmann::json({{"start", 0.0}, {"end", 2.0}})}) {
    try {
      steganography::read_training_curriculum(task_params({{"p", bad}}), "p");
      FAIL() << "accepted " << bad.dump();
    } catch (const ParamError& error) {
      EXPECT_EQ(std::string(error.what()),
                "task 'steganography': parameter 'p' must be a probability in [0, 1] or "
                "{\"start\": P, \"end\": P} (each in [0, 1]), got " +
                    bad.dump());
    }
  }
}

TEST(TrainingChannel, QuantizeThenNoiseIsExactlyStegoLossesFormerChannel) {
  // wavelet_comparison.json's former noise_std 0.004 ([-1, 1] units) is
  // sigma 0.51 on the 0-255 scale (0.004 * 127.5).
  const auto stego = (torch::rand({3, 3, 8, 8}) * 2 - 1).requires_grad_(true);
  const auto cover = torch::zeros({3, 3, 8, 8});
  const AttackChannel always = quantize_and_noise(0.51, {1.0, 1.0});
  torch::manual_seed(5);
  const auto received = always.training(stego, cover, {0, 1, 0.3});
  torch::manual_seed(5);
  EXPECT_TRUE(torch::equal(received, api6_perturb(stego.detach(), 1.0, 0.004)));
  // Straight-through: the gradient towards the stego is the identity.
  received.sum().backward();
  EXPECT_TRUE(torch::equal(stego.grad(), torch::ones_like(stego)));
  // Below probability 1 too: same draws in the same order, mask included.
  const AttackChannel ramp = quantize_and_noise(0.51, {0.0, 0.9});
  torch::manual_seed(6);
  const auto half = ramp.training(stego.detach(), cover, {0, 1, 0.5});
  torch::manual_seed(6);
  // The curriculum's probability half-way: 0 + (0.9 - 0) * 0.5.
  EXPECT_TRUE(torch::equal(half, api6_perturb(stego.detach(), 0.9 * 0.5, 0.004)));
}

TEST(TrainingChannel, TheMaskAttacksWholeImagesWithTheCurriculumsProbability) {
  const AttackChannel ramp = quantize_and_noise(25.5, {0.0, 1.0});
  // 0.001 is between two 8-bit levels: quantize8 moves every pixel, so an
  // attacked image differs from the stego everywhere, a spared one nowhere.
  const auto stego = torch::full({4000, 1, 2, 2}, 0.001);
  const auto cover = torch::zeros_like(stego);
  EXPECT_TRUE(torch::equal(ramp.training(stego, cover, {0, 1, 0.0}), stego));
  const auto changed = (ramp.training(stego, cover, {0, 1, 0.5}) != stego).flatten(1);
  const auto attacked = changed.all(1);
  EXPECT_TRUE(torch::equal(attacked, changed.any(1)));  // all of an image or none of it
  // About half of the images (binomial sd 0.008 at n = 4000).
  EXPECT_NEAR(attacked.to(torch::kFloat32).mean().item<double>(), 0.5, 0.05);
  EXPECT_TRUE((ramp.training(stego, cover, {0, 1, 1.0}) != stego).all().item<bool>());
}

TEST(TrainingChannel, ChainsAreReadInOrderAndMalformedOnesNamed) {
  const auto mix = steganography::read_training_mix(
      task_params({{"train_attacks", nlohmann::json::parse(
                                         R"([{"plugin": "jpeg", "params": {"quality": 90}},
                                             {"chain": [{"plugin": "quantize8"},
                                                        {"plugin": "dropout"}]}])")}}),
      "train_attacks");
  ASSERT_EQ(mix.size(), 2u);
  ASSERT_EQ(mix[0].size(), 1u);
  EXPECT_EQ(mix[0][0].params, nlohmann::json({{"quality", 90}}));
  ASSERT_EQ(mix[1].size(), 2u);
  EXPECT_EQ(mix[1][0].plugin, "quantize8");
  EXPECT_EQ(mix[1][1].plugin, "dropout");
  try {
    steganography::read_training_mix(
        task_params(
            {{"train_attacks", nlohmann::json::parse(R"([{"chain": [{"name": "jpeg"}]}])")}}),
        "train_attacks");
    FAIL() << "accepted an entry without a plugin";
  } catch (const ParamError& error) {
    EXPECT_EQ(std::string(error.what()),
              "task 'steganography': parameter 'train_attacks'[0].chain[0]: expected "
              "{\"plugin\": NAME, \"params\": {...}}, got {\"name\":\"jpeg\"}");
  }
}

// An experiment file as an older release wrote it, with `loss_params` and
// optionally a sweep over one of them.
std::string old_experiment(const std::string& loss_params, const std::string& sweep = "") {
  return R"({"name": "old",
             "data": {"plugin": "synthetic", "params": {"size": 16, "count": 8}},
             "transform": {"plugin": "haar_dwt"},
             "model": {"plugin": "star_inn", "params": {"blocks": 1, "hidden": 8}},
             "train": {"epochs": 1, "batch_size": 4, "device": "cpu"},
             "loss": {"plugin": "stego_loss", "params": )" +
         loss_params + "}" + sweep + "}";
}

TEST(TrainingChannel, StegoLossesOldChannelParametersSayWhatToWriteInstead) {
  const RegistryCatalog catalog(registry());
  const std::string advice =
      "loss 'stego_loss' no longer takes 'perturb_end': the 8-bit/noise curriculum is the "
      "task's training channel now: write task.params.train_attacks";
  try {
    parse_experiment(old_experiment(R"({"perturb_start": 0.0, "perturb_end": 0.9})"), "old.json",
                     catalog);
    FAIL() << "accepted perturb_end";
  } catch (const SpecError& error) {
    const std::string message = error.what();
    EXPECT_EQ(message.find("old.json: loss.params.perturb_start: loss 'stego_loss' no longer "
                           "takes 'perturb_start': the 8-bit/noise curriculum is the task's "
                           "training channel now: write task.params.train_attacks [{\"chain\": "
                           "[{\"plugin\": \"quantize8\"}, {\"plugin\": \"gaussian_noise\""),
              0u)
        << message;
    EXPECT_NE(message.find("task.params.train_attack_probability {\"start\": perturb_start, "
                           "\"end\": perturb_end}"),
              std::string::npos)
        << message;
    EXPECT_EQ(message.find('\n'), std::string::npos);
  }
  try {
    parse_experiment(
        old_experiment("{}", R"(, "sweep": {"axes": {"loss.params.perturb_end": [0.5, 0.9]}})"),
        "old.json", catalog);
    FAIL() << "accepted a sweep over perturb_end";
  } catch (const SpecError& error) {
    EXPECT_EQ(std::string(error.what())
                  .find("old.json: sweep.axes[\"loss.params.perturb_end\"]: " + advice),
              0u)
        << error.what();
  }
  // Built without an experiment file (a test, a command): the same advice.
  try {
    registry().build<Loss>("stego_loss", {{"noise_std", 0.02}}, BuildContext{});
    FAIL() << "accepted noise_std";
  } catch (const ParamError& error) {
    EXPECT_EQ(std::string(error.what()).find("loss 'stego_loss' no longer takes 'noise_std': "), 0u)
        << error.what();
  }
}

}  // namespace
}  // namespace stegolab
