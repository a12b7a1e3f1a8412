// The stego_loss plugin: every term against a value computed by hand on tiny
// tensors, the hiding-weight ramp and zero weights. (Its former 8-bit/noise
// channel is the task's now: training_channel_test.)
#include <map>
#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "support/build_locations.hpp"
#include "plugin_host/plugin_registry.hpp"
#include "stegolab/loss.hpp"
#include "stegolab/transform.hpp"
#include "support/haar_test_transform.hpp"

namespace {

using stegolab::testing::HaarTestTransform;

stegolab::PluginRegistry& registry() {
  static stegolab::PluginRegistry loaded = [] {
    stegolab::PluginRegistry r;
    r.discover({STEGOLAB_TEST_PLUGIN_DIR});
    return r;
  }();
  return loaded;
}

std::shared_ptr<stegolab::Loss> build_loss(
    const nlohmann::json& params,
    std::shared_ptr<stegolab::Transform> transform = std::make_shared<HaarTestTransform>()) {
  stegolab::BuildContext context;
  context.transform = std::move(transform);
  return registry().build<stegolab::Loss>("stego_loss", params, context);
}

// A transform plugin, for the terms that must hold with the real ones too.
std::shared_ptr<stegolab::Transform> plugin_transform(const std::string& name, int levels) {
  return registry().build<stegolab::Transform>(name, {{"levels", levels}},
                                               stegolab::BuildContext{});
}

// All terms off except those given.
nlohmann::json only(nlohmann::json weights) {
  nlohmann::json params{
      {"hide_start", 0.0}, {"hide_end", 0.0}, {"rec_mse", 0.0}, {"rec_ssim", 0.0}};
  for (const auto& item : weights.items()) params[item.key()] = item.value();
  return params;
}

std::map<std::string, double> terms(const stegolab::LossValue& value) {
  std::map<std::string, double> out;
  for (const auto& [name, tensor] : value.terms) {
    EXPECT_EQ(tensor.dim(), 0) << name;
    EXPECT_FALSE(tensor.requires_grad()) << name;
    out[name] = tensor.item<double>();
  }
  return out;
}

// The steganography task's loss input, by field; converts to the SDK's
// named LossInput (docs/plugins.md lists the names).
struct StegoInput {
  torch::Tensor cover, secret, stego, recovered, lost;
  stegolab::TrainingProgress progress;
  operator stegolab::LossInput() const {  // NOLINT: implicit on purpose
    return {{{"cover", cover},
             {"secret", secret},
             {"stego", stego},
             {"recovered", recovered},
             {"lost", lost}},
            progress};
  }
};

StegoInput input(int64_t size = 16) {
  StegoInput in;
  in.cover = torch::zeros({2, 3, size, size});
  in.secret = torch::zeros({2, 3, size, size});
  in.stego = in.cover.clone();
  in.recovered = in.secret.clone();
  in.lost = torch::zeros({2, 12, size / 2, size / 2});
  return in;
}

TEST(StegoLoss, HidingWeightRamp) {
  // stego = cover + 0.1: MSE 0.01. Weight ramps 2 -> 24 over the first 0.7:
  // fraction 0 -> 2, 0.35 -> 2 + 22 * 0.5 = 13, 0.7 -> 24, 1 -> 24.
  auto loss = build_loss({{"rec_mse", 0.0}, {"rec_ssim", 0.0}});
  auto in = input();
  in.stego = in.cover + 0.1;
  for (const auto& [fraction, weight] :
       std::map<double, double>{{0.0, 2.0}, {0.35, 13.0}, {0.7, 24.0}, {1.0, 24.0}}) {
    in.progress.fraction = fraction;
    const auto value = loss->compute(in);
    EXPECT_NEAR(terms(value).at("hide_mse"), weight * 0.01, 1e-6) << "fraction " << fraction;
    EXPECT_NEAR(value.total.item<double>(), weight * 0.01, 1e-6);
  }
}

TEST(StegoLoss, RecoveryTerms) {
  auto loss = build_loss(only({{"rec_mse", 3.0}, {"rec_ssim", 5.0}}));
  auto in = input();
  // secret -0.6 and recovered +0.2 in [-1, 1] are 0.2 and 0.6 in [0, 1]:
  // MSE = 0.8^2 = 0.64 -> 3 * 0.64 = 1.92; SSIM of constants = 0.2401 / 0.4001
  // (closed form, see image_quality_test) -> 5 * (1 - 0.2401 / 0.4001).
  in.secret.fill_(-0.6);
  in.recovered.fill_(0.2);
  const auto t = terms(loss->compute(in));
  EXPECT_NEAR(t.at("rec_mse"), 1.92, 1e-5);
  EXPECT_NEAR(t.at("rec_ssim"), 5.0 * (1.0 - 0.2401 / 0.4001), 1e-4);
  EXPECT_EQ(t.count("hide_mse"), 0u);
}

TEST(StegoLoss, EdgeAndTotalVariation) {
  auto loss = build_loss(only({{"edge", 2.0}, {"tv", 3.0}}));
  auto in = input(4);
  // recovered = 0.1 * column index: every horizontal difference is 0.1 and
  // every vertical one 0 (secret is 0): gradient-difference = 0.1^2 = 0.01 -> 2 * 0.01.
  in.recovered = 0.1 * torch::arange(4, torch::kFloat32).view({1, 1, 1, 4}).expand({2, 3, 4, 4});
  // stego - cover = checkerboard of +-0.1: |dx| = |dy| = 0.2 everywhere -> TV 0.4 -> 3 * 0.4.
  const auto i = torch::arange(4).view({4, 1}), j = torch::arange(4).view({1, 4});
  in.stego = (0.1 * (1 - 2 * ((i + j) % 2))).to(torch::kFloat32).expand({2, 3, 4, 4});
  const auto t = terms(loss->compute(in));
  EXPECT_NEAR(t.at("edge"), 0.02, 1e-6);
  EXPECT_NEAR(t.at("tv"), 1.2, 1e-6);
}

TEST(StegoLoss, WaveletAndLowFrequencyTerms) {
  auto loss = build_loss(only({{"wavelet", 1.0}, {"low_freq", 2.0}}));
  auto in = input(8);
  // A constant offset 0.1 under the orthonormal test Haar: LL differs by 0.2
  // (MSE 0.04, weight 0.35), detail bands by 0; the second-level LL (Haar of
  // the LL band) by 0.4 (MSE 0.16, weight 0.20): 0.014 + 0.032 = 0.046.
  in.recovered = in.secret + 0.1;
  // low_freq: the same LL difference between stego and cover: 2 * 0.04.
  in.stego = in.cover + 0.1;
  const auto t = terms(loss->compute(in));
  EXPECT_NEAR(t.at("wavelet"), 0.046, 1e-6);
  EXPECT_NEAR(t.at("low_freq"), 0.08, 1e-6);
  // Detail bands count too: a checkerboard has no LL content at all, only HH
  // (each 2x2 block +-0.1 -> HH = (a - b - c + d) / 2 = 0.2): 0.06 * 0.04.
  const auto i = torch::arange(8).view({8, 1}), j = torch::arange(8).view({1, 8});
  in.recovered = (0.1 * (1 - 2 * ((i + j) % 2))).to(torch::kFloat32).expand({2, 3, 8, 8});
  EXPECT_NEAR(terms(loss->compute(in)).at("wavelet"), 0.06 * 0.04, 1e-7);
}

TEST(StegoLoss, WaveletTermOnAnIntegerTransformWorksOnPixelValues) {
  // ilwt_haar keeps a constant image's value in LL at every level (s = floor((a+b)/2)).
  // Pixels 100 vs 102: every LL, and the next coarser one, differs by 2/255 on the
  // network's scale (integer coefficients / 255); detail bands are 0:
  // (0.35 + 0.20) * (2/255)^2. Computing the coarser LL on the /255 scale would
  // floor both to 0 and lose the 0.20 part.
  auto loss = build_loss(only({{"wavelet", 1.0}}), plugin_transform("ilwt_haar", 2));
  auto in = input(8);
  in.secret = torch::full({2, 3, 8, 8}, 100.0 / 127.5 - 1.0);
  in.recovered = torch::full({2, 3, 8, 8}, 102.0 / 127.5 - 1.0);
  const double step = 2.0 / 255.0;
  EXPECT_NEAR(terms(loss->compute(in)).at("wavelet"), 0.55 * step * step, 1e-9);
}

TEST(StegoLoss, WaveletDetailWeightsAreSharedByTheLevels) {
  // Two levels of the orthonormal Haar plugin: a +-0.1 checkerboard lives in
  // level 1's HH only (0.2 per coefficient); its weight is 0.06 / 2 levels.
  auto loss = build_loss(only({{"wavelet", 1.0}}), plugin_transform("haar_dwt", 2));
  auto in = input(8);
  const auto i = torch::arange(8).view({8, 1}), j = torch::arange(8).view({1, 8});
  in.recovered = (0.1 * (1 - 2 * ((i + j) % 2))).to(torch::kFloat32).expand({2, 3, 8, 8});
  EXPECT_NEAR(terms(loss->compute(in)).at("wavelet"), 0.03 * 0.04, 1e-7);
}

TEST(StegoLoss, ZeroWeightTermsAreAbsentAndTotalIsTheirSum) {
  auto loss = build_loss({{"edge", 1.0}});
  auto in = input();
  in.stego = in.cover + 0.2;
  in.recovered = torch::rand_like(in.secret);
  const auto value = loss->compute(in);
  const auto t = terms(value);
  // Defaults: hide, rec_mse, rec_ssim on; edge given; tv, wavelet, low_freq off.
  EXPECT_EQ(t.size(), 4u);
  for (const char* absent : {"tv", "wavelet", "low_freq"}) EXPECT_EQ(t.count(absent), 0u) << absent;
  double sum = 0.0;
  for (const auto& [name, v] : t) sum += v;
  EXPECT_NEAR(value.total.item<double>(), sum, 1e-5);
}

}  // namespace
