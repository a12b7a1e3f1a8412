// The star_inn coupling's fused rho/eta subnets against the separate subnets
// they replaced: the same outputs and gradients (both ways of running the
// fused weights), and checkpoints saved with separate subnets still load.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <unistd.h>

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "support/build_locations.hpp"
#include "checkpoint/checkpoint.hpp"
#include "plugin_host/plugin_registry.hpp"
#include "stegolab/model.hpp"
#include "support/haar_test_transform.hpp"

// The plugin's types are hidden inside its library, so this test compiles the
// plugin's sources itself (as tests/star_inn_test.cpp does).
#include "../plugins/models/star_inn/act_norm.cpp"
#include "../plugins/models/star_inn/affine_coupling.cpp"
#include "../plugins/models/star_inn/coupling_subnet.cpp"
#include "../plugins/models/star_inn/invertible_conv1x1.cpp"
#include "../plugins/models/star_inn/reversible_stack.cpp"
#include "../plugins/models/star_inn/star_inn_block.cpp"
#include "../plugins/models/star_inn/star_inn_model.cpp"

namespace {

namespace fs = std::filesystem;
using stegolab::star_inn::ActNorm;
using stegolab::star_inn::AffineCoupling;
using stegolab::star_inn::CouplingSubnet;
using stegolab::star_inn::InvertibleConv1x1;
using stegolab::star_inn::StarInnModel;
using stegolab::star_inn::StarInnOptions;
using stegolab::star_inn::SubnetExecution;

constexpr double kTolerance = 1e-5;

// The coupling as it was before the fusion: three separate subnets, written
// out here so the comparison does not depend on the code under test.
class SeparateCouplingImpl : public torch::nn::Module {
 public:
  SeparateCouplingImpl(int64_t channels, int64_t hidden, double clamp)
      : half_(channels / 2), clamp_(clamp) {
    phi_ = register_module("phi", CouplingSubnet(half_, hidden, half_));
    rho_ = register_module("rho", CouplingSubnet(half_, hidden, half_));
    eta_ = register_module("eta", CouplingSubnet(half_, hidden, half_));
  }
  torch::Tensor forward(const torch::Tensor& x) {
    const auto x1 = x.narrow(1, 0, half_), x2 = x.narrow(1, half_, half_);
    const auto y1 = x1 + phi_(x2)[0];
    const auto y2 = x2 * torch::exp(clamp_ * torch::tanh(rho_(y1)[0])) + eta_(y1)[0];
    return torch::cat({y1, y2}, 1);
  }
  torch::Tensor inverse(const torch::Tensor& y) {
    const auto y1 = y.narrow(1, 0, half_), y2 = y.narrow(1, half_, half_);
    const auto x2 = (y2 - eta_(y1)[0]) * torch::exp(-clamp_ * torch::tanh(rho_(y1)[0]));
    return torch::cat({y1 - phi_(x2)[0], x2}, 1);
  }

 private:
  int64_t half_;
  double clamp_;
  CouplingSubnet phi_{nullptr}, rho_{nullptr}, eta_{nullptr};
};
TORCH_MODULE(SeparateCoupling);

// A model of the layout before the fusion: block<b> = act_norm, mix, coupling
// with separate rho and eta, the module names of star_inn's blocks.
class SeparateStackImpl : public torch::nn::Module {
 public:
  SeparateStackImpl(int64_t blocks, int64_t channels, int64_t hidden) {
    for (int64_t b = 0; b < blocks; ++b) {
      auto block = std::make_shared<torch::nn::Module>();
      norms_.push_back(block->register_module("act_norm", ActNorm(channels)));
      mixes_.push_back(block->register_module("mix", InvertibleConv1x1(channels)));
      couplings_.push_back(
          block->register_module("coupling", SeparateCoupling(channels, hidden, 2.0)));
      register_module("block" + std::to_string(b), block);
    }
  }
  torch::Tensor forward(torch::Tensor x) {
    for (size_t b = 0; b < couplings_.size(); ++b)
      x = couplings_[b]->forward(mixes_[b]->forward(norms_[b]->forward(x)));
    return x;
  }

 private:
  std::vector<ActNorm> norms_;
  std::vector<InvertibleConv1x1> mixes_;
  std::vector<SeparateCoupling> couplings_;
};
TORCH_MODULE(SeparateStack);

// Every parameter moved away from its initialisation (the last layers start
// at zero, which would hide a wrong fusion of them), ActNorm marked as set up.
void randomise_all(torch::nn::Module& module) {
  torch::NoGradGuard no_grad;
  for (auto& p : module.parameters()) p.add_(0.1 * torch::randn_like(p));
  for (auto& b : module.named_buffers()) {
    if (b.key().find("initialized") != std::string::npos) b.value().fill_(1);
  }
}

// The fused module's tensor named `fused_name` is rho's and eta's `name`
// stacked along the output channels.
void copy_into_fused(const SeparateCoupling& from, const AffineCoupling& to) {
  torch::NoGradGuard no_grad;
  const auto separate = from->named_parameters();
  for (auto& p : to->named_parameters()) {
    const std::string& name = p.key();
    if (name.rfind("phi.", 0) == 0) {
      p.value().copy_(separate[name]);
    } else {
      const std::string layer = name.substr(std::string("rho_eta.").size());
      p.value().copy_(torch::cat({separate["rho." + layer], separate["eta." + layer]}, 0));
    }
  }
}

double relative_error(const torch::Tensor& a, const torch::Tensor& b) {
  return ((a - b).abs().max() / b.abs().max().clamp_min(1e-30)).item<double>();
}

struct Gradients {
  torch::Tensor output, input;
  torch::OrderedDict<std::string, torch::Tensor> weights;
};

// Output and gradients of sum(f(x) * weight) for a fixed random weight.
template <typename Module>
Gradients run(Module& module, bool inverse, const torch::Tensor& x, const torch::Tensor& weight) {
  for (auto& p : module->parameters()) p.mutable_grad() = torch::Tensor();
  const auto input = x.clone().requires_grad_(true);
  Gradients g;
  g.output = inverse ? module->inverse(input) : module->forward(input);
  (g.output * weight).sum().backward();
  g.input = input.grad();
  for (auto& p : module->named_parameters()) g.weights.insert(p.key(), p.value().grad());
  return g;
}

void expect_same_gradients(const Gradients& separate, const Gradients& fused) {
  EXPECT_LT(relative_error(fused.output, separate.output), kTolerance);
  EXPECT_LT(relative_error(fused.input, separate.input), kTolerance);
  for (const auto& item : fused.weights) {
    const std::string& name = item.key();
    const auto expected = name.rfind("phi.", 0) == 0
                              ? separate.weights[name]
                              : torch::cat({separate.weights["rho." + name.substr(8)],
                                            separate.weights["eta." + name.substr(8)]},
                                           0);
    EXPECT_LT(relative_error(item.value(), expected), kTolerance) << name;
  }
}

class FusedCoupling : public ::testing::TestWithParam<SubnetExecution> {};

TEST_P(FusedCoupling, SameOutputsAndGradientsAsSeparateSubnets) {
  torch::manual_seed(11);
  SeparateCoupling separate(24, 16, 2.0);
  AffineCoupling fused(12, 12, 16, 2.0, GetParam());
  randomise_all(*separate);
  copy_into_fused(separate, fused);
  const auto x = torch::randn({2, 24, 8, 10});
  const auto weight = torch::randn({2, 24, 8, 10});
  for (const bool inverse : {false, true}) {
    SCOPED_TRACE(inverse ? "inverse" : "forward");
    expect_same_gradients(run(separate, inverse, x, weight), run(fused, inverse, x, weight));
  }
}

INSTANTIATE_TEST_SUITE_P(Execution, FusedCoupling,
                         ::testing::Values(SubnetExecution::grouped, SubnetExecution::separate),
                         [](const auto& info) {
                           return info.param == SubnetExecution::grouped ? "grouped" : "separate";
                         });

TEST(FusedCoupling, CountsTheSameFlopsAsSeparateSubnets) {
  // phi, rho and eta: 3x3 convs 12->16, 16->16, 16->12 each.
  const double subnet = 2.0 * 9.0 * (12 * 16 + 16 * 16 + 16 * 12);
  EXPECT_DOUBLE_EQ(AffineCoupling(12, 12, 16, 2.0)->flops_per_position(), 3.0 * subnet);
}

std::shared_ptr<stegolab::StegoModel> plugin_star_inn(const nlohmann::json& params) {
  static stegolab::PluginRegistry registry = [] {
    stegolab::PluginRegistry r;
    r.discover({STEGOLAB_TEST_PLUGIN_DIR});
    return r;
  }();
  stegolab::BuildContext context;
  context.image_size = 16;
  context.transform = std::make_shared<stegolab::testing::HaarTestTransform>();
  return registry.build<stegolab::StegoModel>("star_inn", params, context);
}

// `stack` saved as a checkpoint's model.pt in a fresh directory.
fs::path saved_checkpoint(SeparateStack& stack, const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / (name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  torch::save(stack, (dir / "model.pt").string());
  return dir;
}

std::shared_ptr<StarInnModel> two_block_model(int64_t hidden) {
  StarInnOptions options;
  options.blocks = 2;
  options.hidden = hidden;
  return std::make_shared<StarInnModel>(options,
                                        std::make_shared<stegolab::testing::HaarTestTransform>());
}

TEST(FusedCoupling, CheckpointOfSeparateSubnetsLoadsWithTheSameResults) {
  torch::manual_seed(12);
  SeparateStack old(2, 24, 8);
  randomise_all(*old);
  const fs::path dir = saved_checkpoint(old, "stegolab_fused_coupling");
  const auto model = two_block_model(8);
  stegolab::load_module_weights(dir, {"model", model}, "model 'star_inn'", torch::kCPU);
  model->eval();
  old->eval();
  torch::NoGradGuard no_grad;
  const auto x = torch::randn({2, 24, 8, 8});
  EXPECT_LT(relative_error(model->run_blocks(x), old->forward(x)), kTolerance);

  // The same file through the plugin library, as a checkpoint is loaded.
  const auto plugin_model = plugin_star_inn({{"blocks", 2}, {"hidden", 8}});
  stegolab::load_module_weights(dir, {"model", plugin_model}, "model 'star_inn'", torch::kCPU);
  plugin_model->eval();
  const auto cover = torch::rand({1, 3, 16, 16}) * 2 - 1;
  const auto secret = torch::rand({1, 3, 16, 16}) * 2 - 1;
  EXPECT_LT(
      relative_error(plugin_model->embed(cover, secret).stego, model->embed(cover, secret).stego),
      kTolerance);
  fs::remove_all(dir);
}

TEST(FusedCoupling, CheckpointOfSeparateSubnetsOfAnotherWidthIsRefused) {
  SeparateStack old(2, 24, 8);
  const fs::path dir = saved_checkpoint(old, "stegolab_fused_coupling_width");
  EXPECT_THROW(stegolab::load_module_weights(dir, {"model", two_block_model(16)},
                                             "model 'star_inn'", torch::kCPU),
               stegolab::CheckpointError);
  fs::remove_all(dir);
}

}  // namespace
