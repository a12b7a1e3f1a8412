// The wavelet transforms (plugins/transforms/wavelets) and the Transform base
// class (framework/sdk/transform.cpp), built through the plugin registry.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <sys/wait.h>

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "support/build_locations.hpp"
#include "plugin_host/plugin_registry.hpp"
#include "stegolab/torch_compat.hpp"
#include "stegolab/transform.hpp"
#include "support/test_plugin_registry.hpp"

namespace stegolab {
namespace {

const std::vector<std::string> kAll = {"haar_dwt", "cdf53_dwt", "ilwt_haar", "ilwt53"};
const std::vector<std::string> kFloat = {"haar_dwt", "cdf53_dwt"};
const std::vector<std::string> kInteger = {"ilwt_haar", "ilwt53"};

const PluginRegistry& registry() {
  return stegolab::testing::test_plugin_registry();
}

std::shared_ptr<Transform> make(const std::string& name, int levels) {
  return registry().build<Transform>(name, {{"levels", levels}}, BuildContext{});
}

// An NCHW float tensor from row-major values.
torch::Tensor image(const std::vector<float>& values, int64_t height, int64_t width) {
  return torch::tensor(values).reshape({1, 1, height, width});
}

// Coefficients flattened in channel order (one pixel per channel for a fully
// decomposed image, else channel-major then row-major).
std::vector<float> flat(const torch::Tensor& t) {
  const torch::Tensor c = t.to(torch::kFloat).contiguous().flatten();
  return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

void expect_values(const std::string& name, const torch::Tensor& actual,
                   const std::vector<float>& expected) {
  const std::vector<float> got = flat(actual);
  ASSERT_EQ(got.size(), expected.size()) << name;
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_NEAR(got[i], expected[i], 1e-5) << name << " coefficient " << i;
  }
}

// Uniform integers 0..255 as float (8-bit pixel values).
torch::Tensor eight_bit(std::vector<int64_t> shape) {
  return torch::randint(0, 256, shape, torch::kFloat);
}

double relative_error(const torch::Tensor& a, const torch::Tensor& b) {
  return ((a - b).abs().max() / b.abs().max().clamp_min(1e-12)).item<double>();
}

TEST(Transforms, RegistryProvidesAllFourWithLevelsParameter) {
  for (const auto& name : kAll) {
    const auto& record = registry().find("transform", name);
    ASSERT_EQ(record.info.params.size(), 1u) << name;
    EXPECT_EQ(record.info.params[0].name, "levels");
    EXPECT_EQ(record.info.params[0].default_value, 1);
    auto transform = registry().build<Transform>(name, nlohmann::json::object(), BuildContext{});
    EXPECT_EQ(transform->levels(), 1);
    EXPECT_EQ(transform->name(), name);
  }
  EXPECT_FALSE(make("haar_dwt", 1)->is_integer());
  EXPECT_FALSE(make("cdf53_dwt", 1)->is_integer());
  EXPECT_TRUE(make("ilwt_haar", 1)->is_integer());
  EXPECT_TRUE(make("ilwt53", 1)->is_integer());
  EXPECT_THROW(make("ilwt53", 0), ParamError);
  EXPECT_THROW(registry().build<Transform>("haar_dwt", {{"level", 2}}, BuildContext{}), ParamError);
}

// Input [[1, 2], [3, 4]]: a = 1, b = 2 (top row), c = 3, d = 4 (bottom row).
// Output channels LL, LH, HL, HH; first letter = filter along the width.
TEST(Transforms, KnownValuesOn2x2) {
  const torch::Tensor x = image({1, 2, 3, 4}, 2, 2);
  // Haar: LL = (a+b+c+d)/2 = 5, LH = ((a+b)-(c+d))/2 = -2,
  //       HL = ((a-b)+(c-d))/2 = -1, HH = (a-b-c+d)/2 = 0.
  expect_values("haar_dwt", make("haar_dwt", 1)->forward(x).coefficients, {5, -2, -1, 0});
  // 5/3 on two samples (mirror x[2] = x[0]): high = x1 - x0, low = x0 + high/2.
  // Rows: [1,2] -> (1.5, 1), [3,4] -> (3.5, 1). Columns: L = [1.5, 3.5] -> (2.5, 2),
  // H = [1, 1] -> (1, 0). So LL 2.5, LH 2, HL 1, HH 0.
  expect_values("cdf53_dwt", make("cdf53_dwt", 1)->forward(x).coefficients, {2.5, 2, 1, 0});
  // S-transform s = floor((a+b)/2), d = a-b. Rows: [1,2] -> (1, -1), [3,4] -> (3, -1).
  // Columns: L = [1, 3] -> (2, -2), H = [-1, -1] -> (-1, 0).
  expect_values("ilwt_haar", make("ilwt_haar", 1)->forward(x).coefficients, {2, -2, -1, 0});
  // Reversible 5/3: d = x1 - floor((x0+x0)/2) = x1 - x0, s = x0 + floor((2d+2)/4).
  // Rows: [1,2] -> (1 + 1, 1) = (2, 1), [3,4] -> (4, 1).
  // Columns: L = [2, 4] -> d = 2, s = 2 + floor(6/4) = 3; H = [1, 1] -> d = 0, s = 1 + floor(2/4)
  // = 1.
  expect_values("ilwt53", make("ilwt53", 1)->forward(x).coefficients, {3, 2, 1, 0});
}

// A 4x4 image whose every row is [5, 1, 8, 2] is constant along the height, so
// the height step passes the width step's result through unchanged (5/3:
// d = v - v = 0, s = v; Haar scales by sqrt(2)): LL and HL hold the 1-D
// transform of the row, LH = HH = 0. Its transpose puts it in LL and LH.
// This pins both the border handling and the band naming.
TEST(Transforms, KnownValuesAlongOneAxisWithBorders) {
  const torch::Tensor rows = image({5, 1, 8, 2, 5, 1, 8, 2, 5, 1, 8, 2, 5, 1, 8, 2}, 4, 4);
  struct Case {
    std::string name;
    std::vector<float> low, high;  // 1-D result per row, scaled for Haar's second pass
  };
  const std::vector<Case> cases = {
      // Haar: (a+b)/2 per 2x2 block, (a-b)/2: [5,1] -> 6, 4; [8,2] -> 10, 6.
      {"haar_dwt", {6, 10}, {4, 6}},
      // Float 5/3, x[4] mirrors to x[2] = 8, d[-1] = d[0]:
      // d0 = 1 - (5+8)/2 = -5.5, d1 = 2 - (8+8)/2 = -6,
      // s0 = 5 + (-5.5-5.5)/4 = 2.25, s1 = 8 + (-5.5-6)/4 = 5.125.
      {"cdf53_dwt", {2.25, 5.125}, {-5.5, -6}},
      // S-transform: [5,1] -> floor(3) = 3, 4; [8,2] -> 5, 6.
      {"ilwt_haar", {3, 5}, {4, 6}},
      // Reversible 5/3: d0 = 1 - floor(13/2) = -5, d1 = 2 - floor(16/2) = -6,
      // s0 = 5 + floor((-5-5+2)/4) = 5 - 2 = 3, s1 = 8 + floor((-5-6+2)/4) = 8 - 3 = 5.
      {"ilwt53", {3, 5}, {-5, -6}},
  };
  for (const auto& c : cases) {
    const auto transform = make(c.name, 1);
    const float l0 = c.low[0], l1 = c.low[1], h0 = c.high[0], h1 = c.high[1];
    // Channels LL, LH, HL, HH, each 2x2 row-major.
    expect_values(c.name + " rows", transform->forward(rows).coefficients,
                  {l0, l1, l0, l1, 0, 0, 0, 0, h0, h1, h0, h1, 0, 0, 0, 0});
    expect_values(c.name + " columns", transform->forward(rows.transpose(2, 3)).coefficients,
                  {l0, l0, l1, l1, h0, h0, h1, h1, 0, 0, 0, 0, 0, 0, 0, 0});
  }
}

// The 4x4 image below, one and two levels. Expected numbers come from an
// independent per-sample implementation of the textbook formulas (exact
// rational arithmetic, explicit mirror indexing x[-i] = x[i],
// x[N-1+i] = x[N-1-i], rows first then columns), not from this code.
// Two-level output: LL2, LH2, HL2, HH2, then LH1, HL1, HH1 folded by
// pixel_unshuffle (each band's 2x2 pixels in row-major order).
TEST(Transforms, KnownValuesOn4x4OneAndTwoLevels) {
  const torch::Tensor x = image({3, 7, 1, 4, 0, 9, 2, 6, 8, 5, 5, 1, 2, 3, 7, 0}, 4, 4);
  struct Case {
    std::string name;
    std::vector<float> one_level, two_levels;
  };
  const std::vector<Case> cases = {
      // Haar LL2 = sum/4 = 63/4 = 15.75; LL1[0][0] = (3+7+0+9)/2 = 9.5.
      {"haar_dwt",
       {9.5, 6.5, 9, 6.5, 0.5, -1.5, 4, -0.5, -6.5, -3.5, 1, 5.5, 2.5, 0.5, 2, -1.5},
       {15.75, 0.25, 2.75, 0.25, 0.5, -1.5, 4, -0.5, -6.5, -3.5, 1, 5.5, 2.5, 0.5, 2, -1.5}},
      {"cdf53_dwt",
       {4.3125, 3.84375, 5.15625, 4.359375, -2.375, 1.6875, -6, 1.25, 8.125, 5.25, 0.0625, -3.625,
        6.25, 4.5, 0, -3},
       {4.41796875, 0.6796875, -0.6328125, -0.328125, -2.375, 1.6875, -6, 1.25, 8.125, 5.25, 0.0625,
        -3.625, 6.25, 4.5, 0, -3}},
      {"ilwt_haar",
       {4, 3, 4, 3, 1, -2, 4, 0, -7, -4, 1, 5, 5, 1, 4, -3},
       {3, 0, 1, 0, 1, -2, 4, 0, -7, -4, 1, 5, 5, 1, 4, -3}},
      {"ilwt53",
       {5, 4, 6, 5, -3, 2, -6, 1, 8, 6, 1, -3, 6, 5, 0, -3},
       {6, 1, -1, 0, -3, 2, -6, 1, 8, 6, 1, -3, 6, 5, 0, -3}},
  };
  for (const auto& c : cases) {
    const WaveletBands one = make(c.name, 1)->forward(x);
    ASSERT_EQ(one.coefficients.sizes(), torch::IntArrayRef({1, 4, 2, 2})) << c.name;
    expect_values(c.name + " levels 1", one.coefficients, c.one_level);
    const WaveletBands two = make(c.name, 2)->forward(x);
    ASSERT_EQ(two.coefficients.sizes(), torch::IntArrayRef({1, 16, 1, 1})) << c.name;
    expect_values(c.name + " levels 2", two.coefficients, c.two_levels);
  }
}

TEST(Transforms, BandLayoutForOneAndTwoLevels) {
  for (const auto& name : kAll) {
    const auto one = make(name, 1);
    const std::vector<BandSlice> layout1 = one->band_layout(3);
    ASSERT_EQ(layout1.size(), 4u);
    const char* names[] = {"LL", "LH", "HL", "HH"};
    for (int i = 0; i < 4; ++i) {
      EXPECT_EQ(layout1[i].name, names[i]);
      EXPECT_EQ(layout1[i].level, 1);
      EXPECT_EQ(layout1[i].channel_begin, 3 * i);
      EXPECT_EQ(layout1[i].channel_count, 3);
    }
    EXPECT_EQ(one->coefficient_channels(3), 12);
    EXPECT_EQ(one->coefficient_size(7), 4);

    // Two levels, C = 3: LL2 [0,3), LH2 [3,6), HL2 [6,9), HH2 [9,12), then
    // level-1 bands folded 2x2 into 3*4 = 12 channels each.
    const auto two = make(name, 2);
    const std::vector<BandSlice> layout2 = two->band_layout(3);
    struct Expected {
      const char* name;
      int level;
      int64_t begin, count;
    };
    const Expected expected[] = {{"LL", 2, 0, 3},  {"LH", 2, 3, 3},   {"HL", 2, 6, 3},
                                 {"HH", 2, 9, 3},  {"LH", 1, 12, 12}, {"HL", 1, 24, 12},
                                 {"HH", 1, 36, 12}};
    ASSERT_EQ(layout2.size(), 7u);
    for (int i = 0; i < 7; ++i) {
      EXPECT_EQ(layout2[i].name, expected[i].name) << name << " band " << i;
      EXPECT_EQ(layout2[i].level, expected[i].level) << name << " band " << i;
      EXPECT_EQ(layout2[i].channel_begin, expected[i].begin) << name << " band " << i;
      EXPECT_EQ(layout2[i].channel_count, expected[i].count) << name << " band " << i;
    }
    EXPECT_EQ(two->coefficient_channels(3), 48);
    EXPECT_EQ(two->coefficient_size(7), 2);  // ceil(7 / 4)
    const WaveletBands bands = two->forward(torch::rand({2, 3, 7, 9}));
    EXPECT_EQ(bands.coefficients.sizes(), torch::IntArrayRef({2, 48, 2, 3}));
    EXPECT_EQ(bands.height, 7);
    EXPECT_EQ(bands.width, 9);
  }
}

// The layout must describe the data: a pattern varying only along the height
// (alternating rows) lands in LH only, one varying only along the width in HL.
TEST(Transforms, BandLayoutMatchesTheData) {
  const torch::Tensor alternating = torch::tensor({0.f, 8.f}).repeat({4});  // 0 8 0 8 ...
  const torch::Tensor along_height = alternating.reshape({1, 1, 8, 1}).expand({1, 1, 8, 8});
  for (const auto& name : kAll) {
    const auto transform = make(name, 2);
    const std::vector<BandSlice> layout = transform->band_layout(1);
    for (const auto& [images, band] :
         {std::make_pair(along_height, std::string("LH")),
          std::make_pair(along_height.transpose(2, 3), std::string("HL"))}) {
      const torch::Tensor c = transform->forward(images).coefficients;
      for (const auto& slice : layout) {
        if (slice.name == "LL") continue;
        const double energy =
            c.narrow(1, slice.channel_begin, slice.channel_count).abs().sum().item<double>();
        // Only the finest level sees the 2-sample alternation as detail.
        if (slice.name == band && slice.level == 1) {
          EXPECT_GT(energy, 1.0) << name << " " << slice.name << slice.level;
        } else {
          EXPECT_EQ(energy, 0.0) << name << " " << slice.name << slice.level;
        }
      }
    }
  }
}

// 3x5 with two levels pads to 4x8 by repeating the last row and column.
TEST(Transforms, OddSizesPadByEdgeReplicationAndCropBack) {
  torch::manual_seed(1);
  const torch::Tensor x = eight_bit({2, 3, 3, 5});
  const torch::Tensor padded = torch::cat({x, x.narrow(3, 4, 1).expand({2, 3, 3, 3})}, 3);
  const torch::Tensor replicated = torch::cat({padded, padded.narrow(2, 2, 1)}, 2);
  ASSERT_EQ(replicated.sizes(), torch::IntArrayRef({2, 3, 4, 8}));
  for (const auto& name : kAll) {
    const auto transform = make(name, 2);
    const WaveletBands bands = transform->forward(x);
    EXPECT_TRUE(torch::allclose(bands.coefficients, transform->forward(replicated).coefficients))
        << name;
    const torch::Tensor back = transform->inverse(bands);
    EXPECT_EQ(back.sizes(), x.sizes()) << name;
    EXPECT_LT(relative_error(back, x), 1e-5) << name;
  }
}

TEST(Transforms, FloatTransformsInvertOnRandomSizes) {
  torch::manual_seed(2);
  for (const auto& name : kFloat) {
    for (int levels = 1; levels <= 4; ++levels) {
      const auto transform = make(name, levels);
      for (int trial = 0; trial < 4; ++trial) {
        const int64_t batch = torch::randint(1, 17, {1}).item<int64_t>();
        const int64_t height = torch::randint(1, 41, {1}).item<int64_t>();
        const int64_t width = torch::randint(1, 41, {1}).item<int64_t>();
        const torch::Tensor x = torch::rand({batch, 3, height, width}) * 2 - 1;
        const torch::Tensor back = transform->inverse(transform->forward(x));
        EXPECT_EQ(back.sizes(), x.sizes());
        EXPECT_LT(relative_error(back, x), 1e-5)
            << name << " levels " << levels << " size " << height << "x" << width;
      }
    }
  }
}

TEST(Transforms, HaarPreservesEnergy) {
  torch::manual_seed(3);
  for (int levels = 1; levels <= 4; ++levels) {
    const torch::Tensor x = torch::randn({4, 3, 32, 48}, torch::kDouble);
    const torch::Tensor c = make("haar_dwt", levels)->forward(x).coefficients;
    EXPECT_NEAR(c.pow(2).sum().item<double>() / x.pow(2).sum().item<double>(), 1.0, 1e-12)
        << "levels " << levels;
  }
  // The 5/3 pair is biorthogonal, not orthonormal: it must not pass this test.
  const torch::Tensor x = torch::randn({1, 1, 16, 16}, torch::kDouble);
  const torch::Tensor c = make("cdf53_dwt", 1)->forward(x).coefficients;
  EXPECT_GT(std::abs(c.pow(2).sum().item<double>() / x.pow(2).sum().item<double>() - 1.0), 1e-3);
}

TEST(Transforms, IntegerTransformsAreExactOnEightBitImages) {
  torch::manual_seed(4);
  for (const auto& name : kInteger) {
    for (int levels = 1; levels <= 4; ++levels) {
      const auto transform = make(name, levels);
      for (int trial = 0; trial < 4; ++trial) {
        const int64_t batch = torch::randint(1, 17, {1}).item<int64_t>();
        const int64_t height = torch::randint(1, 41, {1}).item<int64_t>();
        const int64_t width = torch::randint(1, 41, {1}).item<int64_t>();
        const torch::Tensor x = eight_bit({batch, 3, height, width});
        const WaveletBands bands = transform->forward(x);
        EXPECT_EQ(bands.coefficients.scalar_type(), torch::kFloat);
        EXPECT_TRUE(torch::equal(bands.coefficients, bands.coefficients.floor()))
            << name << " coefficients not integer, levels " << levels;
        EXPECT_TRUE(torch::equal(transform->inverse(bands), x))
            << name << " levels " << levels << " size " << height << "x" << width;
      }
    }
  }
  // A uint8 tensor goes in as well and comes back as the same values in fp32.
  const torch::Tensor bytes = torch::randint(0, 256, {2, 3, 9, 10}, torch::kByte);
  const auto ilwt53 = make("ilwt53", 3);
  EXPECT_TRUE(torch::equal(ilwt53->inverse(ilwt53->forward(bytes)), bytes.to(torch::kFloat)));
}

// Interval bounds derived in docs/transforms.md: one 1-D reversible 5/3 step
// maps integers in [lo, hi] to low-pass in [ceil(5lo/4 - hi/4 - 1/4),
// floor(5hi/4 - lo/4 + 3/4)] and high-pass in [lo - hi, hi - lo]; a level
// applies it along the width and then the height, starting from [0, 255].
struct Range {
  double lo, hi;
};
Range lifting_low(Range r) {
  return {std::ceil(1.25 * r.lo - 0.25 * r.hi - 0.25),
          std::floor(1.25 * r.hi - 0.25 * r.lo + 0.75)};
}
Range lifting_high(Range r) { return {r.lo - r.hi, r.hi - r.lo}; }

TEST(Transforms, Ilwt53StaysWithinDocumentedBoundsOnEightBitInput) {
  // The table in docs/transforms.md, per level: bounds of LL, LH, HL, HH.
  const double documented[4][4][2] = {{{-160, 415}, {-383, 383}, {-382, 383}, {-510, 510}},
                                      {{-520, 775}, {-863, 863}, {-862, 863}, {-1150, 1150}},
                                      {{-1330, 1585}, {-1943, 1943}, {-1942, 1943}, {-2590, 2590}},
                                      {{-3152, 3408}, {-4373, 4373}, {-4372, 4373}, {-5830, 5830}}};
  Range ll{0, 255};
  for (int level = 0; level < 4; ++level) {
    const Range low_w = lifting_low(ll), high_w = lifting_high(ll);
    const Range bands[4] = {lifting_low(low_w), lifting_high(low_w), lifting_low(high_w),
                            lifting_high(high_w)};
    for (int b = 0; b < 4; ++b) {
      EXPECT_EQ(bands[b].lo, documented[level][b][0]) << "level " << level + 1 << " band " << b;
      EXPECT_EQ(bands[b].hi, documented[level][b][1]) << "level " << level + 1 << " band " << b;
    }
    ll = bands[0];
  }

  torch::manual_seed(5);
  // Random images, plus the extremes: a 0/255 checkerboard (HH1 reaches the
  // bound 510 exactly: rows give d = -255/+255 alternating, columns d = 510) and
  // stripes.
  const torch::Tensor checker =
      ((torch::arange(32).view({32, 1}) + torch::arange(32).view({1, 32})) % 2 == 0)
          .to(torch::kFloat)
          .mul(255)
          .view({1, 1, 32, 32});
  const torch::Tensor stripes =
      (torch::arange(32) % 2).to(torch::kFloat).mul(255).view({1, 1, 32, 1}).expand({1, 1, 32, 32});
  const torch::Tensor images =
      torch::cat({eight_bit({14, 1, 32, 32}), checker, stripes.contiguous()}, 0);
  for (int levels = 1; levels <= 4; ++levels) {
    const auto transform = make("ilwt53", levels);
    const torch::Tensor c = transform->forward(images).coefficients;
    EXPECT_LE(c.abs().max().item<double>(), 32767) << "fits int16, levels " << levels;
    for (const auto& slice : transform->band_layout(1)) {
      const int band = slice.name == "LL" ? 0 : slice.name == "LH" ? 1 : slice.name == "HL" ? 2 : 3;
      const torch::Tensor values = c.narrow(1, slice.channel_begin, slice.channel_count);
      const double* bound = documented[slice.level - 1][band];
      EXPECT_GE(values.min().item<double>(), bound[0]) << slice.name << slice.level;
      EXPECT_LE(values.max().item<double>(), bound[1]) << slice.name << slice.level;
    }
  }
  const auto one = make("ilwt53", 1);
  const torch::Tensor hh = one->forward(checker).coefficients.narrow(1, 3, 1);
  EXPECT_EQ(hh.abs().max().item<double>(), 510);
}

// The S-transform's low-pass is a floored mean, so LL stays in [0, 255] at
// every level and details in [-255, 255] (LH, HL) and [-510, 510] (HH).
TEST(Transforms, IlwtHaarStaysWithinDocumentedBounds) {
  torch::manual_seed(6);
  const torch::Tensor images = eight_bit({16, 1, 32, 32});
  for (int levels = 1; levels <= 4; ++levels) {
    const auto transform = make("ilwt_haar", levels);
    const torch::Tensor c = transform->forward(images).coefficients;
    for (const auto& slice : transform->band_layout(1)) {
      const torch::Tensor values = c.narrow(1, slice.channel_begin, slice.channel_count);
      const double lo = slice.name == "LL" ? 0 : slice.name == "HH" ? -510 : -255;
      const double hi = slice.name == "LL" ? 255 : slice.name == "HH" ? 510 : 255;
      EXPECT_GE(values.min().item<double>(), lo) << slice.name << slice.level;
      EXPECT_LE(values.max().item<double>(), hi) << slice.name << slice.level;
    }
  }
}

TEST(Transforms, BatchEqualsPerImageAndBatchesOfDifferentSizesCoexist) {
  torch::manual_seed(7);
  const torch::Tensor batch = eight_bit({8, 3, 13, 11});
  for (const auto& name : kAll) {
    const auto transform = make(name, 2);
    const WaveletBands bands = transform->forward(batch);
    const torch::Tensor back = transform->inverse(bands);
    const bool integer = transform->is_integer();
    for (int64_t i = 0; i < 8; ++i) {
      const WaveletBands single = transform->forward(batch.narrow(0, i, 1));
      const torch::Tensor batched = bands.coefficients.narrow(0, i, 1);
      const torch::Tensor batched_back = back.narrow(0, i, 1);
      // Integer lifting is exact, so batching may not change a single bit.
      EXPECT_TRUE(integer ? torch::equal(batched, single.coefficients)
                          : torch::allclose(batched, single.coefficients, 0, 1e-4))
          << name << " image " << i;
      EXPECT_TRUE(integer ? torch::equal(batched_back, transform->inverse(single))
                          : torch::allclose(batched_back, transform->inverse(single), 0, 1e-4))
          << name << " image " << i;
    }
    // Two batches of different sizes in flight: no state is kept between calls.
    const torch::Tensor other = eight_bit({3, 3, 20, 6});
    const WaveletBands first = transform->forward(batch);
    const WaveletBands second = transform->forward(other);
    const torch::Tensor second_back = transform->inverse(second);
    const torch::Tensor first_back = transform->inverse(first);
    if (integer) {
      EXPECT_TRUE(torch::equal(first_back, batch)) << name;
      EXPECT_TRUE(torch::equal(second_back, other)) << name;
    } else {
      EXPECT_LT(relative_error(first_back, batch), 1e-5) << name;
      EXPECT_LT(relative_error(second_back, other), 1e-5) << name;
    }
  }
}

// Finite differences in double precision against autograd, for forward and
// inverse: the gradient of <v, f(x)> with respect to each input element.
void check_gradient(const std::function<torch::Tensor(const torch::Tensor&)>& f,
                    const torch::Tensor& x0, const std::string& what) {
  const torch::Tensor probe = torch::randn(f(x0).sizes(), torch::kDouble);
  const torch::Tensor x = x0.clone().requires_grad_(true);
  const torch::Tensor analytic = torch::autograd::grad({(f(x) * probe).sum()}, {x})[0];
  const double eps = 1e-6;
  const torch::Tensor flat_x = x0.flatten();
  for (int64_t i = 0; i < flat_x.numel(); ++i) {
    torch::Tensor plus = x0.clone(), minus = x0.clone();
    plus.view(-1)[i] += eps;
    minus.view(-1)[i] -= eps;
    const double numeric =
        ((f(plus) * probe).sum() - (f(minus) * probe).sum()).item<double>() / (2 * eps);
    EXPECT_NEAR(analytic.view(-1)[i].item<double>(), numeric, 1e-6) << what << " element " << i;
  }
}

TEST(Transforms, FloatTransformGradientsMatchFiniteDifferences) {
  torch::manual_seed(8);
  for (const auto& name : kFloat) {
    const auto transform = make(name, 2);
    // 5x6 pads to 8x8: the check covers the padding's gradient too.
    const torch::Tensor x = torch::randn({1, 2, 5, 6}, torch::kDouble);
    check_gradient([&](const torch::Tensor& t) { return transform->forward(t).coefficients; }, x,
                   name + " forward");
    const WaveletBands bands = transform->forward(x);
    check_gradient(
        [&](const torch::Tensor& c) {
          return transform->inverse({c, bands.height, bands.width});
        },
        bands.coefficients.detach(), name + " inverse");
  }
}

TEST(Transforms, GradientsFlowThroughIntegerTransforms) {
  torch::manual_seed(9);
  const torch::Tensor x0 = eight_bit({2, 3, 9, 8});
  const torch::Tensor probe = torch::randn({2, 48, 3, 2});
  for (const auto& name : kInteger) {
    const torch::Tensor x = x0.clone().requires_grad_(true);
    const torch::Tensor c = make(name, 2)->forward(x).coefficients;
    const torch::Tensor grad = torch::autograd::grad({(c * probe).sum()}, {x})[0];
    EXPECT_TRUE(torch::isfinite(grad).all().item<bool>()) << name;
    EXPECT_GT(grad.abs().min().item<double>(), 0.0) << name << ": some pixel gets no gradient";
  }
  // The straight-through estimator makes ilwt53's gradient exactly that of
  // the float 5/3 lifting (the rounding offsets are constants).
  const auto gradient = [&](const std::string& name) {
    const torch::Tensor x = x0.clone().requires_grad_(true);
    const torch::Tensor c = make(name, 2)->forward(x).coefficients;
    return torch::autograd::grad({(c * probe).sum()}, {x})[0];
  };
  EXPECT_TRUE(torch::allclose(gradient("ilwt53"), gradient("cdf53_dwt"), 1e-5, 1e-5));
}

TEST(Transforms, StraightThroughFloorIsFloorForwardIdentityBackward) {
  const torch::Tensor x = torch::tensor({-1.5f, -0.25f, 0.f, 0.75f, 2.f}).requires_grad_(true);
  const torch::Tensor y = straight_through_floor(x);
  EXPECT_TRUE(torch::equal(y.detach(), torch::tensor({-2.f, -1.f, 0.f, 0.f, 2.f})));
  const torch::Tensor weights = torch::tensor({1.f, 2.f, 3.f, 4.f, 5.f});
  const torch::Tensor grad = torch::autograd::grad({(y * weights).sum()}, {x})[0];
  EXPECT_TRUE(torch::equal(grad, weights));
}

TEST(Transforms, FloatTransformsWorkInBfloat16) {
  torch::manual_seed(10);
  const torch::Tensor x = torch::rand({2, 3, 16, 16}) * 2 - 1;
  for (const auto& name : kFloat) {
    const auto transform = make(name, 2);
    const WaveletBands bands = transform->forward(x.to(torch::kBFloat16));
    EXPECT_EQ(bands.coefficients.scalar_type(), torch::kBFloat16) << name;
    const torch::Tensor back = transform->inverse(bands);
    EXPECT_EQ(back.scalar_type(), torch::kBFloat16) << name;
    // bf16 keeps 8 significant bits (relative step 2^-8); a few lifting steps
    // per level stay well within 0.05 on values in [-1, 1].
    EXPECT_LT((back.to(torch::kFloat) - x).abs().max().item<double>(), 0.05) << name;
  }
}

TEST(Transforms, FloatTransformsWorkInFloat16) {
  torch::manual_seed(12);
  const torch::Tensor x = torch::rand({2, 3, 16, 16}) * 2 - 1;
  for (const auto& name : kFloat) {
    const auto transform = make(name, 2);
    const WaveletBands bands = transform->forward(x.to(torch::kHalf));
    EXPECT_EQ(bands.coefficients.scalar_type(), torch::kHalf) << name;
    const torch::Tensor back = transform->inverse(bands);
    EXPECT_EQ(back.scalar_type(), torch::kHalf) << name;
    // fp16 keeps 11 significant bits: far tighter than bf16's 0.05.
    EXPECT_LT((back.to(torch::kFloat) - x).abs().max().item<double>(), 5e-3) << name;
  }
}

TEST(Transforms, FloatTransformsRunUnchangedUnderAutocast) {
  // Autocast lowers matrix products and convolutions, not the element-wise
  // lifting: the float transforms give the fp32 result inside a bf16 scope.
  torch::manual_seed(13);
  const torch::Tensor x = torch::rand({2, 3, 12, 10}) * 2 - 1;
  for (const auto& name : kFloat) {
    const auto transform = make(name, 2);
    const WaveletBands reference = transform->forward(x);
    compat::AutocastScope autocast(torch::kCPU, torch::kBFloat16);
    const WaveletBands bands = transform->forward(x);
    EXPECT_EQ(bands.coefficients.scalar_type(), torch::kFloat) << name;
    EXPECT_TRUE(torch::allclose(bands.coefficients, reference.coefficients, 1e-6, 1e-6)) << name;
    EXPECT_LT(relative_error(transform->inverse(bands), x), 1e-5) << name;
  }
}

TEST(Transforms, ImageScaleMapsEightBitImagesToIntegerCoefficientsOver255) {
  torch::manual_seed(14);
  const torch::Tensor pixels = eight_bit({2, 3, 9, 12});
  const torch::Tensor images = pixels / 127.5 - 1.0;  // the model's [-1, 1]
  for (const auto& name : kAll) {
    const auto transform = make(name, 2);
    const WaveletBands scaled = transform->forward_images(images);
    if (transform->is_integer()) {
      // The integer transform of the 8-bit values, divided by 255.
      const WaveletBands raw = transform->forward(pixels);
      EXPECT_TRUE(torch::allclose(scaled.coefficients * 255.0, raw.coefficients, 0, 1e-3)) << name;
      const torch::Tensor back_pixels = (transform->inverse_images(scaled) + 1.0) * 127.5;
      EXPECT_TRUE(torch::equal(back_pixels.round(), pixels)) << name;
    } else {
      EXPECT_TRUE(torch::equal(scaled.coefficients, transform->forward(images).coefficients))
          << name;
    }
    EXPECT_LT((transform->inverse_images(scaled) - images).abs().max().item<double>(), 1e-5)
        << name;
  }
}

TEST(Transforms, CoarserLLIsTheNextLevelsLL) {
  // One more level of a 1-level transform's LL equals the LL of the same
  // transform with 2 levels, on the image scale of forward_images().
  torch::manual_seed(15);
  const torch::Tensor images = eight_bit({2, 3, 12, 16}) / 127.5 - 1.0;
  for (const auto& name : kAll) {
    const auto one = make(name, 1);
    const auto two = make(name, 2);
    const torch::Tensor ll1 = one->forward_images(images).coefficients.narrow(1, 0, 3);
    const torch::Tensor ll2 = two->forward_images(images).coefficients.narrow(1, 0, 3);
    const torch::Tensor coarser = one->coarser_ll(ll1);
    ASSERT_EQ(coarser.sizes(), ll2.sizes()) << name;
    EXPECT_LT((coarser - ll2).abs().max().item<double>(), 1e-5) << name;
  }
  // Odd sizes are padded like forward() pads them.
  const auto haar = make("haar_dwt", 1);
  EXPECT_EQ(haar->coarser_ll(torch::zeros({1, 3, 5, 7})).sizes(),
            (std::vector<int64_t>{1, 3, 3, 4}));
}

TEST(Transforms, IntegerTransformsStayExactWithBfloat16AndAutocast) {
  torch::manual_seed(11);
  // Integers up to 256 are exact in bf16.
  const torch::Tensor x = eight_bit({2, 3, 15, 17});
  for (const auto& name : kInteger) {
    const auto transform = make(name, 3);
    const WaveletBands reference = transform->forward(x);
    const WaveletBands from_bf16 = transform->forward(x.to(torch::kBFloat16));
    EXPECT_EQ(from_bf16.coefficients.scalar_type(), torch::kFloat) << name;
    EXPECT_TRUE(torch::equal(from_bf16.coefficients, reference.coefficients)) << name;
    EXPECT_TRUE(torch::equal(transform->inverse(from_bf16), x)) << name;
    {
      compat::AutocastScope autocast(torch::kCPU, torch::kBFloat16);
      const WaveletBands under_autocast = transform->forward(x);
      EXPECT_EQ(under_autocast.coefficients.scalar_type(), torch::kFloat) << name;
      EXPECT_TRUE(torch::equal(under_autocast.coefficients, reference.coefficients)) << name;
      EXPECT_TRUE(torch::equal(transform->inverse(under_autocast), x)) << name;
    }
  }
}

TEST(Transforms, BadShapesGiveErrorsNamingTheTransform) {
  const auto transform = make("ilwt53", 2);
  try {
    transform->forward(torch::zeros({3, 8, 8}));
    FAIL() << "3-D input accepted";
  } catch (const PluginError& error) {
    EXPECT_NE(std::string(error.what()).find("ilwt53"), std::string::npos) << error.what();
  }
  const WaveletBands bands = transform->forward(torch::zeros({1, 3, 8, 8}));
  EXPECT_THROW(transform->inverse({bands.coefficients, 16, 8}), PluginError);
  EXPECT_THROW(transform->inverse({bands.coefficients.narrow(1, 0, 47), 8, 8}), PluginError);
}

// Runs the `stegolab` binary; returns its exit code and output (stdout + stderr).
std::pair<int, std::string> run_stegolab(const std::string& arguments) {
  const std::string command = std::string(STEGOLAB_TEST_BINARY) + " " + arguments + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  EXPECT_NE(pipe, nullptr) << command;
  if (!pipe) return {-1, ""};
  std::string output;
  std::array<char, 512> buffer{};
  while (fgets(buffer.data(), buffer.size(), pipe)) output += buffer.data();
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

TEST(Transforms, BenchCommandReportsEveryTransformAndTheBandwidth) {
  const auto [code, output] = run_stegolab(
      "bench transforms --sizes 16,20 --batches 2 --repeats 1 --threads 1 --bandwidth-mib 8");
  ASSERT_EQ(code, 0) << output;
  EXPECT_NE(output.find("GB/s"), std::string::npos) << output;
  // One row per transform and size: name, size, batch, ms/batch, MP/s, % of bound.
  std::vector<std::vector<std::string>> rows;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::vector<std::string> row;
    for (std::string word; words >> word;) row.push_back(word);
    if (row.size() == 6) rows.push_back(row);
  }
  for (const auto& name : kAll) {
    for (const char* size : {"16", "20"}) {
      const auto found = std::find_if(rows.begin(), rows.end(), [&](const auto& row) {
        return row[0] == name && row[1] == size && row[2] == "2";
      });
      ASSERT_NE(found, rows.end()) << name << " size " << size << "\n" << output;
      EXPECT_GT(std::stod((*found)[4]), 0.0) << output;  // MP/s
    }
  }
  const auto [bad_code, bad_output] = run_stegolab("bench transforms --sizes 0");
  EXPECT_EQ(bad_code, 1);
  EXPECT_NE(bad_output.find("--sizes: '0' is not a positive integer"), std::string::npos)
      << bad_output;
  const auto [unknown_code, unknown_output] = run_stegolab("bench nonsense");
  EXPECT_EQ(unknown_code, 1);
  EXPECT_NE(unknown_output.find("available: step matrix transforms"), std::string::npos)
      << unknown_output;
}

}  // namespace
}  // namespace stegolab
