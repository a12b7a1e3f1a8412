// The `standard` strategy (built through the plugin registry) and the shared
// learning-rate schedule.
#include <cmath>
#include <limits>
#include <sstream>

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "support/build_locations.hpp"
#include "plugin_host/plugin_registry.hpp"
#include "stegolab/strategy.hpp"
#include "stegolab/torch_compat.hpp"
#include "support/test_plugin_registry.hpp"

namespace stegolab {
namespace {

PluginRegistry& registry() {
  return stegolab::testing::test_plugin_registry();
}

std::shared_ptr<Strategy> build(const nlohmann::json& params) {
  BuildContext context;
  return registry().build<Strategy>("standard", params, context);
}

// A tiny "model": one 3x3 convolution; the loss is the mean squared error to
// the secret, mean-reduced over the batch (so micro-batch means average to the
// full-batch mean).
struct TinyProblem {
  torch::Tensor weight;
  explicit TinyProblem(uint64_t seed) {
    torch::manual_seed(seed);
    weight = (torch::randn({3, 3, 3, 3}) * 0.2).requires_grad_(true);
  }
  LossFunction loss() const {
    torch::Tensor w = weight;
    return [w](const MicroBatch& batch) {
      const torch::Tensor out = torch::conv2d(batch.at("cover"), w, {}, 1, 1);
      const torch::Tensor mse = (out.to(torch::kFloat) - batch.at("secret")).square().mean();
      return LossValue{mse, {{"mse", mse.detach()}, {"twice", (2 * mse).detach()}}};
    };
  }
  StrategySetup setup(double lr = 1e-2, int64_t total = 10) const {
    StrategySetup s;
    s.parameters = {weight};
    s.optimizer.lr = lr;
    s.schedule.name = "constant";
    s.total_steps = total;
    return s;
  }
};

MicroBatch batch(int64_t n, uint64_t seed) {
  torch::manual_seed(seed);
  torch::Tensor cover = torch::rand({n, 3, 8, 8}) * 2 - 1;
  torch::Tensor secret = torch::rand({n, 3, 8, 8}) * 2 - 1;
  return {{"cover", cover}, {"secret", secret}};
}

std::vector<MicroBatch> split(const MicroBatch& whole, int64_t parts) {
  std::vector<MicroBatch> out;
  auto covers = whole.at("cover").chunk(parts);
  auto secrets = whole.at("secret").chunk(parts);
  for (int64_t i = 0; i < parts; ++i) out.push_back({{"cover", covers[i]}, {"secret", secrets[i]}});
  return out;
}

// ---- schedule: expected values computed by hand from the formulas in
// learning_rate_schedule.cpp ----

TEST(Schedule, ConstantWithWarmup) {
  OptimizerSettings o;
  o.lr = 0.1;
  ScheduleSettings s;
  s.name = "constant";
  s.warmup_steps = 4;
  EXPECT_DOUBLE_EQ(scheduled_learning_rate(o, s, 0, 100), 0.025);  // 0.1 * 1/4
  EXPECT_DOUBLE_EQ(scheduled_learning_rate(o, s, 2, 100), 0.075);  // 0.1 * 3/4
  EXPECT_DOUBLE_EQ(scheduled_learning_rate(o, s, 3, 100), 0.1);
  EXPECT_DOUBLE_EQ(scheduled_learning_rate(o, s, 50, 100), 0.1);
}

TEST(Schedule, CosineWithWarmupAndFloor) {
  OptimizerSettings o;
  o.lr = 1.0;
  ScheduleSettings s;
  s.name = "cosine";
  s.warmup_steps = 2;
  s.min_factor = 0.1;
  // total 12: the cosine spans 10 steps after the warm-up.
  EXPECT_DOUBLE_EQ(scheduled_learning_rate(o, s, 0, 12), 0.5);  // warm-up 1/2
  EXPECT_DOUBLE_EQ(scheduled_learning_rate(o, s, 2, 12), 1.0);  // t = 0: cos 0 = 1
  // t = 5 of 10: 0.1 + 0.9 * (1 + cos(pi/2)) / 2 = 0.55
  EXPECT_NEAR(scheduled_learning_rate(o, s, 7, 12), 0.55, 1e-12);
  // t = 8 of 10: 0.1 + 0.9 * (1 + cos(0.8 pi)) / 2 = 0.1 + 0.45 * (1 - 0.809017) = 0.185942
  EXPECT_NEAR(scheduled_learning_rate(o, s, 10, 12), 0.1859424, 1e-6);
  EXPECT_NEAR(scheduled_learning_rate(o, s, 12, 12), 0.1, 1e-12);  // the floor
  EXPECT_NEAR(scheduled_learning_rate(o, s, 40, 12), 0.1, 1e-12);  // stays there
}

TEST(Schedule, StepDecay) {
  OptimizerSettings o;
  o.lr = 0.8;
  ScheduleSettings s;
  s.name = "step";
  s.step_size = 3;
  s.gamma = 0.5;
  EXPECT_DOUBLE_EQ(scheduled_learning_rate(o, s, 2, 100), 0.8);
  EXPECT_DOUBLE_EQ(scheduled_learning_rate(o, s, 3, 100), 0.4);
  EXPECT_DOUBLE_EQ(scheduled_learning_rate(o, s, 7, 100), 0.2);  // floor(7/3) = 2 halvings
  s.name = "linear";
  EXPECT_THROW(scheduled_learning_rate(o, s, 0, 100), ParamError);
}

// ---- strategy ----

TEST(StandardStrategy, AccumulationMatchesOneLargeBatch) {
  const MicroBatch whole = batch(8, 3);
  torch::Tensor gradients[2];
  torch::Tensor weights[2];
  torch::Tensor losses[2];
  for (int run = 0; run < 2; ++run) {
    const int64_t parts = run == 0 ? 1 : 4;
    TinyProblem problem(11);
    auto strategy = build({{"accumulation", parts}});
    ASSERT_EQ(strategy->accumulation(), parts);
    strategy->setup(problem.setup());
    // The hook sees each backward's contribution; their sum is the gradient the optimiser used.
    gradients[run] = torch::zeros_like(problem.weight);
    torch::Tensor sum = gradients[run];
    problem.weight.register_hook([sum](const torch::Tensor& g) { sum.add_(g); });
    const StepReport report = strategy->step(split(whole, parts), problem.loss(), StepLimits{});
    EXPECT_TRUE(report.applied);
    losses[run] = report.loss;
    weights[run] = problem.weight.detach().clone();
  }
  EXPECT_GT(gradients[0].abs().sum().item<double>(), 0.0);
  EXPECT_TRUE(torch::allclose(gradients[0], gradients[1], 1e-5, 1e-7));
  EXPECT_TRUE(torch::allclose(losses[0], losses[1], 1e-6, 1e-7));
  EXPECT_TRUE(torch::allclose(weights[0], weights[1], 1e-5, 1e-7));
}

TEST(StandardStrategy, ReportsMeanLossAndTermsOnDevice) {
  TinyProblem problem(5);
  auto strategy = build({{"accumulation", 2}});
  strategy->setup(problem.setup());
  const MicroBatch whole = batch(4, 9);
  const auto parts = split(whole, 2);
  // Expected: the mean of the two micro-batch losses, computed before the step.
  double expected = 0;
  for (const auto& part : parts) expected += problem.loss()(part).total.item<double>() / 2;
  const StepReport report = strategy->step(parts, problem.loss(), StepLimits{});
  EXPECT_FALSE(report.loss.requires_grad());
  EXPECT_NEAR(report.loss.item<double>(), expected, 1e-6);
  ASSERT_EQ(report.terms.size(), 2u);
  EXPECT_EQ(report.terms[0].first, "mse");
  EXPECT_NEAR(report.terms[1].second.item<double>(), 2 * expected, 1e-5);
  EXPECT_DOUBLE_EQ(report.loss_scale, 1.0);
}

TEST(StandardStrategy, NonFiniteLossSkipsTheStep) {
  TinyProblem problem(5);
  auto strategy = build({});
  strategy->setup(problem.setup());
  const torch::Tensor before = problem.weight.detach().clone();
  auto inner = problem.loss();
  LossFunction nan_loss = [inner](const MicroBatch& b) {
    LossValue v = inner(b);
    v.total = v.total * std::numeric_limits<float>::quiet_NaN();
    return v;
  };
  const StepReport report = strategy->step({batch(2, 1)}, nan_loss, StepLimits{});
  EXPECT_TRUE(report.nonfinite);
  EXPECT_FALSE(report.scaler_overflow);  // no loss scaling in fp32: a real divergence
  EXPECT_TRUE(std::isnan(report.loss_value));
  EXPECT_FALSE(report.applied);
  EXPECT_TRUE(torch::equal(problem.weight.detach(), before));
  // A finite step afterwards moves the weights again.
  EXPECT_TRUE(strategy->step({batch(2, 1)}, problem.loss(), StepLimits{}).applied);
  EXPECT_FALSE(torch::equal(problem.weight.detach(), before));
}

TEST(StandardStrategy, LossAboveTheCeilingSkipsTheStepAndReportsTheLoss) {
  TinyProblem problem(5);
  auto strategy = build({});
  strategy->setup(problem.setup());
  const MicroBatch b = batch(2, 1);
  const double loss = problem.loss()(b).total.item<double>();
  ASSERT_GT(loss, 0.0);
  const torch::Tensor before = problem.weight.detach().clone();
  StepLimits limits;
  limits.loss_ceiling = loss / 2;
  const StepReport exploded = strategy->step({b}, problem.loss(), limits);
  EXPECT_TRUE(exploded.exploded);
  EXPECT_FALSE(exploded.nonfinite);
  EXPECT_FALSE(exploded.applied);
  EXPECT_NEAR(exploded.loss_value, loss, 1e-6 * loss);
  EXPECT_TRUE(torch::equal(problem.weight.detach(), before));
  limits.loss_ceiling = loss * 2;
  const StepReport applied = strategy->step({b}, problem.loss(), limits);
  EXPECT_FALSE(applied.exploded);
  EXPECT_TRUE(applied.applied);
  EXPECT_FALSE(torch::equal(problem.weight.detach(), before));
}

TEST(StandardStrategy, ClipNormCapsTheGradient) {
  TinyProblem problem(5);
  const MicroBatch b = batch(4, 2);
  // The raw gradient, independently of the strategy.
  const torch::Tensor raw = torch::autograd::grad({problem.loss()(b).total}, {problem.weight})[0];
  const double raw_norm = raw.norm().item<double>();
  ASSERT_GT(raw_norm, 0.1);  // otherwise the test would not exercise clipping
  auto strategy = build({{"clip_norm", 0.1}});
  strategy->setup(problem.setup());
  ASSERT_TRUE(strategy->step({b}, problem.loss(), StepLimits{}).applied);
  // The optimiser leaves .grad as the clipped gradient: raw * 0.1 / |raw|.
  const torch::Tensor clipped = problem.weight.grad();
  EXPECT_NEAR(clipped.norm().item<double>(), 0.1, 1e-5);
  EXPECT_TRUE(torch::allclose(clipped, raw * (0.1 / (raw_norm + 1e-6)), 1e-4, 1e-6));
}

TEST(StandardStrategy, FollowsScheduleAndLearningRateFactor) {
  TinyProblem problem(5);
  auto strategy = build({});
  StrategySetup setup = problem.setup(0.8, 100);
  setup.schedule.name = "step";
  setup.schedule.step_size = 2;
  setup.schedule.gamma = 0.5;
  strategy->setup(setup);
  const MicroBatch b = batch(2, 4);
  EXPECT_DOUBLE_EQ(strategy->step({b}, problem.loss(), StepLimits{}).learning_rate, 0.8);  // step 0
  EXPECT_DOUBLE_EQ(strategy->step({b}, problem.loss(), StepLimits{}).learning_rate, 0.8);  // step 1
  EXPECT_DOUBLE_EQ(strategy->step({b}, problem.loss(), StepLimits{}).learning_rate, 0.4);  // step 2
  strategy->scale_learning_rate(0.5);
  EXPECT_DOUBLE_EQ(strategy->step({b}, problem.loss(), StepLimits{}).learning_rate,
                   0.2);  // step 3, x0.5
  EXPECT_DOUBLE_EQ(strategy->step({b}, problem.loss(), StepLimits{}).learning_rate,
                   0.1);  // step 4, x0.5 persists
}

TEST(StandardStrategy, Bf16OnCpuRunsUnderAutocast) {
  TinyProblem problem(5);
  auto strategy = build({{"precision", "bf16"}});
  EXPECT_EQ(strategy->precision(), "bf16");
  strategy->setup(problem.setup());
  auto inner = problem.loss();
  bool autocast_seen = false;
  torch::ScalarType conv_dtype = torch::kFloat;
  LossFunction probe = [&](const MicroBatch& b) {
    autocast_seen = compat::autocast_enabled(torch::kCPU);
    conv_dtype = torch::conv2d(b.at("cover"), problem.weight, {}, 1, 1).scalar_type();
    return inner(b);
  };
  const StepReport report = strategy->step({batch(2, 6)}, probe, StepLimits{});
  EXPECT_TRUE(autocast_seen);
  EXPECT_EQ(conv_dtype, torch::kBFloat16);              // autocast lowered the convolution
  EXPECT_FALSE(compat::autocast_enabled(torch::kCPU));  // restored after the step
  EXPECT_TRUE(report.applied);
  EXPECT_TRUE(std::isfinite(report.loss.item<double>()));
  EXPECT_EQ(problem.weight.scalar_type(), torch::kFloat);  // weights stay fp32
  bool eval_autocast = false;
  strategy->evaluate([&] {
    eval_autocast = compat::autocast_enabled(torch::kCPU) && !torch::GradMode::is_enabled();
  });
  EXPECT_TRUE(eval_autocast);
}

TEST(StandardStrategy, Fp16OnCpuIsRejectedAtBuildTime) {
  try {
    build({{"precision", "fp16"}});
    FAIL() << "fp16 on CPU was accepted";
  } catch (const ParamError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("fp16"), std::string::npos) << message;
    EXPECT_NE(message.find("CUDA"), std::string::npos) << message;
  }
}

TEST(StandardStrategy, SaveLoadRestoresOptimiserState) {
  const MicroBatch b = batch(4, 8);
  TinyProblem original(21);
  auto first = build({});
  first->setup(original.setup(1e-2, 10));
  for (int i = 0; i < 3; ++i) first->step({b}, original.loss(), StepLimits{});
  first->scale_learning_rate(0.5);
  torch::serialize::OutputArchive out;
  first->save(out);
  std::stringstream stream;
  out.save_to(stream);

  // Two copies of the current weights: one resumes with the saved state, one starts fresh.
  TinyProblem resumed(0);
  TinyProblem fresh(0);
  {
    torch::NoGradGuard no_grad;
    resumed.weight.copy_(original.weight);
    fresh.weight.copy_(original.weight);
  }
  auto second = build({});
  second->setup(resumed.setup(1e-2, 10));
  torch::serialize::InputArchive in;
  in.load_from(stream);
  second->load(in);
  auto third = build({});
  third->setup(fresh.setup(1e-2, 10));

  const StepReport a = first->step({b}, original.loss(), StepLimits{});
  const StepReport r = second->step({b}, resumed.loss(), StepLimits{});
  third->step({b}, fresh.loss(), StepLimits{});
  EXPECT_DOUBLE_EQ(r.learning_rate, a.learning_rate);  // step count and factor restored
  EXPECT_TRUE(torch::allclose(resumed.weight, original.weight, 1e-6, 1e-8));
  // Adam's moments matter: without them the update differs.
  EXPECT_FALSE(torch::allclose(fresh.weight, original.weight, 1e-6, 1e-8));
}

TEST(StandardStrategy, RejectsBadParameters) {
  EXPECT_THROW(build({{"accumulation", 0}}), ParamError);
  EXPECT_THROW(build({{"precision", "fp8"}}), ParamError);
  EXPECT_THROW(build({{"clip_nrom", 1.0}}), ParamError);
  EXPECT_THROW(build({{"memory_format", "nhwc"}}), ParamError);
  // The older switch and the layout must not disagree.
  EXPECT_THROW(build({{"channels_last", true}, {"memory_format", "contiguous"}}), ParamError);
  EXPECT_NO_THROW(build({{"channels_last", true}, {"memory_format", "channels_last"}}));
}

}  // namespace
}  // namespace stegolab

namespace stegolab {
namespace {

// A parameter group at ten times the learning rate moves ten times as far on
// Adam's first step (whose size is the learning rate for every element).
TEST(StandardStrategy, ParameterGroupsRunAtTheirOwnLearningRate) {
  TinyProblem problem(11);
  torch::manual_seed(12);
  const torch::Tensor bias = torch::zeros({3}).requires_grad_(true);
  StrategySetup setup = problem.setup(1e-3, 10);
  setup.groups.push_back({"fast", 1e-2, {bias}});
  auto strategy = build({});
  strategy->setup(setup);
  const torch::Tensor weight_before = problem.weight.detach().clone();
  const torch::Tensor w = problem.weight;
  const LossFunction loss = [w, bias](const MicroBatch& b) {
    const torch::Tensor out = torch::conv2d(b.at("cover"), w, bias, 1, 1);
    const torch::Tensor mse = (out - b.at("secret")).square().mean();
    return LossValue{mse, {}};
  };
  ASSERT_TRUE(strategy->step({batch(4, 13)}, loss, {}).applied);
  const double weight_step = (problem.weight.detach() - weight_before).abs().max().item<double>();
  const double bias_step = bias.detach().abs().max().item<double>();
  EXPECT_NEAR(weight_step, 1e-3, 1e-4);
  EXPECT_NEAR(bias_step, 1e-2, 1e-3);
}

}  // namespace
}  // namespace stegolab
