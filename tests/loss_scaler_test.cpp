// DynamicLossScaler, on hand-made gradients (CPU path; the CUDA path uses
// PyTorch's fused kernel with the same contract).
#include <limits>
#include <sstream>

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "stegolab/errors.hpp"
#include "stegolab/loss_scaler.hpp"

namespace stegolab {
namespace {

LossScalerSettings settings(double init, int64_t interval) {
  LossScalerSettings s;
  s.init_scale = init;
  s.growth_interval = interval;
  return s;
}

TEST(LossScaler, ScalesLossAndUnscalesGradients) {
  DynamicLossScaler scaler(settings(1024.0, 10));
  // 0.5 * 1024 = 512.
  EXPECT_DOUBLE_EQ(scaler.scale_loss(torch::tensor(0.5)).item<double>(), 512.0);
  torch::Tensor a = torch::tensor({2048.0f, -4096.0f});
  torch::Tensor b = torch::tensor({{512.0f}});
  const torch::Tensor found = scaler.unscale({a, torch::Tensor(), b});  // undefined grads are skipped
  EXPECT_EQ(found.item<float>(), 0.0f);
  // Each value divided by 1024, in place.
  EXPECT_TRUE(torch::equal(a, torch::tensor({2.0f, -4.0f})));
  EXPECT_TRUE(torch::equal(b, torch::tensor({{0.5f}})));
}

TEST(LossScaler, FlagsInfAndNaNInAnyGradient) {
  DynamicLossScaler scaler(settings(8.0, 10));
  const float inf = std::numeric_limits<float>::infinity();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  EXPECT_EQ(scaler.unscale({torch::ones({3}), torch::tensor({1.0f, inf})}).item<float>(), 1.0f);
  EXPECT_EQ(scaler.unscale({torch::tensor({nan}), torch::ones({2})}).item<float>(), 1.0f);
  EXPECT_EQ(scaler.unscale({torch::ones({2}), torch::ones({2, 2})}).item<float>(), 0.0f);
}

TEST(LossScaler, BacksOffOnOverflowAndGrowsAfterInterval) {
  DynamicLossScaler scaler(settings(1024.0, 3));
  scaler.update(true);  // overflow: 1024 * 0.5
  EXPECT_DOUBLE_EQ(scaler.scale(), 512.0);
  scaler.update(false);
  scaler.update(false);
  EXPECT_DOUBLE_EQ(scaler.scale(), 512.0);  // 2 good steps < interval 3
  EXPECT_EQ(scaler.growth_tracker(), 2);
  scaler.update(true);  // overflow resets the count: 256
  EXPECT_DOUBLE_EQ(scaler.scale(), 256.0);
  EXPECT_EQ(scaler.growth_tracker(), 0);
  scaler.update(false);
  scaler.update(false);
  EXPECT_DOUBLE_EQ(scaler.scale(), 256.0);
  scaler.update(false);  // third consecutive good step: 256 * 2
  EXPECT_DOUBLE_EQ(scaler.scale(), 512.0);
  EXPECT_EQ(scaler.growth_tracker(), 0);
}

TEST(LossScaler, DisabledKeepsScaleOneButStillChecks) {
  LossScalerSettings s = settings(1024.0, 1);
  s.enabled = false;
  DynamicLossScaler scaler(s);
  EXPECT_DOUBLE_EQ(scaler.scale(), 1.0);
  torch::Tensor g = torch::tensor({3.0f, std::numeric_limits<float>::quiet_NaN()});
  EXPECT_EQ(scaler.unscale({g}).item<float>(), 1.0f);
  EXPECT_EQ(g[0].item<float>(), 3.0f);  // not divided
  scaler.update(true);
  scaler.update(false);
  EXPECT_DOUBLE_EQ(scaler.scale(), 1.0);
}

TEST(LossScaler, SaveLoadRoundTrip) {
  DynamicLossScaler scaler(settings(1024.0, 5));
  scaler.update(true);
  scaler.update(false);
  scaler.update(false);  // scale 512, tracker 2
  torch::serialize::OutputArchive out;
  scaler.save(out);
  std::stringstream stream;
  out.save_to(stream);
  torch::serialize::InputArchive in;
  in.load_from(stream);
  DynamicLossScaler restored(settings(1024.0, 5));
  restored.load(in);
  EXPECT_DOUBLE_EQ(restored.scale(), 512.0);
  EXPECT_EQ(restored.growth_tracker(), 2);
  restored.update(false);
  restored.update(false);
  restored.update(false);  // 2 + 3 = 5 = interval: grows to 1024
  EXPECT_DOUBLE_EQ(restored.scale(), 1024.0);
}

TEST(LossScaler, RejectsBadSettings) {
  EXPECT_THROW(DynamicLossScaler(settings(0.0, 10)), ParamError);
  EXPECT_THROW(DynamicLossScaler(settings(1.0, 0)), ParamError);
}

}  // namespace
}  // namespace stegolab
