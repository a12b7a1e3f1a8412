// The codecs' transposed convolution, computed as a 3x3 convolution and a
// pixel shuffle, against LibTorch's own conv_transpose2d: same values, same
// gradients, same parameters.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "../plugins/models/learned_codecs/subpixel_transposed_conv.cpp"

namespace stegolab::learned_codecs {
namespace {

torch::Tensor reference(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias) {
  return torch::conv_transpose2d(x, weight, bias, /*stride=*/2, /*padding=*/2, /*output_padding=*/1);
}

TEST(SubpixelTransposedConv, EqualsConvTranspose2dOnEveryPhaseAndEdge) {
  torch::manual_seed(3);
  SubpixelTransposedConv layer(3, 5);
  // Odd, even, one-pixel and non-square sizes: every phase meets an edge somewhere.
  for (const auto& [height, width] : std::vector<std::pair<int64_t, int64_t>>{{1, 1}, {3, 5}, {7, 4}, {8, 8}}) {
    const torch::Tensor x = torch::randn({2, 3, height, width});
    const torch::Tensor got = layer.forward(x);
    const torch::Tensor want = reference(x, layer.named_parameters()["weight"], layer.named_parameters()["bias"]);
    ASSERT_EQ(got.sizes(), want.sizes()) << height << "x" << width;
    EXPECT_EQ(got.size(2), 2 * height);
    EXPECT_EQ(got.size(3), 2 * width);
    EXPECT_LT((got - want).abs().max().item<double>(), 1e-5) << height << "x" << width;
  }
}

TEST(SubpixelTransposedConv, GradientsEqualConvTranspose2d) {
  torch::manual_seed(4);
  SubpixelTransposedConv layer(4, 2);
  const torch::Tensor x = torch::randn({2, 4, 5, 6}, torch::requires_grad());
  const torch::Tensor upstream = torch::randn({2, 2, 10, 12});
  auto params = layer.named_parameters();

  (layer.forward(x) * upstream).sum().backward();
  const torch::Tensor dx = x.grad().clone(), dw = params["weight"].grad().clone(), db = params["bias"].grad().clone();
  x.mutable_grad().zero_();
  params["weight"].mutable_grad().zero_();
  params["bias"].mutable_grad().zero_();

  (reference(x, params["weight"], params["bias"]) * upstream).sum().backward();
  EXPECT_LT((dx - x.grad()).abs().max().item<double>(), 1e-4);
  EXPECT_LT((dw - params["weight"].grad()).abs().max().item<double>(), 1e-4);
  EXPECT_LT((db - params["bias"].grad()).abs().max().item<double>(), 1e-4);
  EXPECT_GT(dw.abs().sum().item<double>(), 0.0);  // the check above compared real gradients
}

// Checkpoints and stream fingerprints see parameter names, shapes and values:
// those of the ConvTranspose2d the layer replaced, from the same random draws.
TEST(SubpixelTransposedConv, HasConvTranspose2dsParametersAndInitialValues) {
  torch::manual_seed(5);
  SubpixelTransposedConv layer(6, 7);
  torch::manual_seed(5);
  torch::nn::ConvTranspose2d original(torch::nn::ConvTranspose2dOptions(6, 7, 5).stride(2).padding(2).output_padding(1));

  const auto mine = layer.named_parameters();
  const auto theirs = original->named_parameters();
  ASSERT_EQ(mine.size(), 2u);
  EXPECT_TRUE(layer.named_buffers().is_empty());
  for (const char* name : {"weight", "bias"}) {
    ASSERT_TRUE(mine.contains(name)) << name;
    EXPECT_TRUE(torch::equal(mine[name], theirs[name])) << name;
  }
  EXPECT_EQ(mine["weight"].sizes(), torch::IntArrayRef({6, 7, 5, 5}));
}

}  // namespace
}  // namespace stegolab::learned_codecs
