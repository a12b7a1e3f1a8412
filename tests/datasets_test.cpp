// The `synthetic` and `image_folder` datasets, built through the plugin registry.
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <torch/torch.h>

#if defined(STEGOLAB_WITH_OPENCV)
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#endif

#include "support/build_locations.hpp"
#include "plugin_host/plugin_registry.hpp"
#include "stegolab/dataset.hpp"
#include "support/test_folder.hpp"
#include "support/test_plugin_registry.hpp"

namespace stegolab {
namespace {

namespace fs = std::filesystem;

PluginRegistry& registry() {
  return stegolab::testing::test_plugin_registry();
}

std::shared_ptr<ImageSource> build(const std::string& name, const nlohmann::json& params,
                                   uint64_t seed = 7) {
  BuildContext context;
  context.seed = seed;
  return registry().build<ImageSource>(name, params, context);
}

torch::Tensor all(int64_t n) { return torch::arange(n, torch::kLong); }

// Each augmented image must be the plain one or its horizontal mirror;
// returns how many were mirrored.
int64_t count_flips(const torch::Tensor& plain, const torch::Tensor& augmented) {
  int64_t flipped = 0;
  for (int64_t i = 0; i < plain.size(0); ++i) {
    const bool same = torch::equal(plain[i], augmented[i]);
    const bool mirrored = torch::equal(plain[i].flip({1}), augmented[i]);
    EXPECT_TRUE(same || mirrored) << "image " << i;
    if (!same) ++flipped;
  }
  return flipped;
}

// ---- synthetic ----

TEST(Synthetic, ShapeTypeAndVariety) {
  auto source = build("synthetic", {{"size", 32}, {"count", 10}});
  EXPECT_EQ(source->size(), 10);
  EXPECT_EQ(source->sample_extent(false), (ImageExtent{32, 32}));
  EXPECT_EQ(source->extent(9), (ImageExtent{32, 32}));
  const torch::Tensor images = source->load(all(10), torch::kCPU, false);
  ASSERT_EQ(images.sizes(), (std::vector<int64_t>{10, 32, 32, 3}));
  EXPECT_EQ(images.scalar_type(), torch::kByte);
  const torch::Tensor real = images.to(torch::kFloat);
  // Structured images: every one has real contrast (std over its pixels, 0-255 scale) ...
  const torch::Tensor spread = real.view({10, -1}).std(1);
  EXPECT_GT(spread.min().item<double>(), 5.0);
  // ... and no two are alike.
  for (int64_t i = 1; i < 10; ++i) {
    EXPECT_GT((real[i] - real[0]).abs().mean().item<double>(), 5.0) << "image " << i;
  }
}

TEST(Synthetic, ImagesDependOnIndexAndSeedOnly) {
  torch::set_num_threads(1);  // identical float op order for the byte-exact comparison
  auto source = build("synthetic", {{"size", 24}, {"count", 16}});
  const torch::Tensor full = source->load(all(16), torch::kCPU, false);
  const torch::Tensor subset =
      source->load(torch::tensor({11, 2, 11}, torch::kLong), torch::kCPU, false);
  EXPECT_TRUE(torch::equal(subset[0], full[11]));
  EXPECT_TRUE(torch::equal(subset[1], full[2]));
  EXPECT_TRUE(torch::equal(subset[2], full[11]));
  // Another source with the same seed: the same images; another seed: others.
  EXPECT_TRUE(torch::equal(
      build("synthetic", {{"size", 24}, {"count", 16}})->load(all(16), torch::kCPU, false), full));
  const torch::Tensor other =
      build("synthetic", {{"size", 24}, {"count", 16}}, 8)->load(all(16), torch::kCPU, false);
  EXPECT_GT((other.to(torch::kFloat) - full.to(torch::kFloat)).abs().mean().item<double>(), 5.0);
}

TEST(Synthetic, ChannelsAndRangeChecks) {
  auto gray = build("synthetic", {{"size", 16}, {"count", 3}, {"channels", 1}});
  EXPECT_EQ(gray->channels(), 1);
  EXPECT_EQ(gray->load(all(3), torch::kCPU, false).sizes(), (std::vector<int64_t>{3, 16, 16, 1}));
  EXPECT_THROW(gray->load(torch::tensor({3}, torch::kLong), torch::kCPU, false), PluginError);
  EXPECT_THROW(build("synthetic", {{"size", 0}}), ParamError);
}

TEST(Synthetic, AugmentationFlipsDeterministically) {
  auto a = build("synthetic", {{"size", 16}, {"count", 12}});
  auto b = build("synthetic", {{"size", 16}, {"count", 12}});
  const torch::Tensor plain = a->load(all(12), torch::kCPU, false);
  const torch::Tensor first = a->load(all(12), torch::kCPU, true);
  EXPECT_TRUE(
      torch::equal(first, b->load(all(12), torch::kCPU, true)));  // same seed, same call order
  const int64_t flipped = count_flips(plain, first);
  EXPECT_GT(flipped, 0);
  EXPECT_LT(flipped, 12);
}

// ---- image_folder (built only with OpenCV) ----
#if defined(STEGOLAB_WITH_OPENCV)

class ImageFolderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = stegolab::testing::make_test_folder("stegolab_image_folder");
    fs::create_directories(folder_ / "sub");
    // Sorted order after skipping the corrupt file: a_const, b_gray, c_wide, d_grad, sub/e.
    // 8x8 constant, BGR (30, 60, 200): enlarged (INTER_CUBIC) it stays RGB (200, 60, 30).
    cv::imwrite((folder_ / "a_const.png").string(),
                cv::Mat(8, 8, CV_8UC3, cv::Scalar(30, 60, 200)));
    // Grayscale 40x40 of 77: shrunk (INTER_AREA) it is RGB (77, 77, 77).
    cv::imwrite((folder_ / "b_gray.png").string(), cv::Mat(40, 40, CV_8UC1, cv::Scalar(77)));
    // 20 high, 40 wide: blue columns 0-9 and 30-39, green 10-29. The centre
    // square is columns 10-29, all green, so no blue may survive.
    cv::Mat wide(20, 40, CV_8UC3, cv::Scalar(255, 0, 0));
    wide(cv::Rect(10, 0, 20, 20)).setTo(cv::Scalar(0, 255, 0));
    cv::imwrite((folder_ / "c_wide.png").string(), wide);
    // Varies along the width only, so it is the one image a horizontal flip changes.
    cv::Mat gradient(32, 32, CV_8UC3);
    for (int c = 0; c < 32; ++c) gradient.col(c).setTo(cv::Scalar(c * 8, 100, 255 - c * 8));
    cv::imwrite((folder_ / "d_grad.PNG").string(), gradient);
    cv::imwrite((folder_ / "sub" / "e.jpg").string(),
                cv::Mat(16, 16, CV_8UC3, cv::Scalar(10, 20, 30)));
    std::ofstream(folder_ / "corrupt.png") << "this is not a PNG";
    std::ofstream(folder_ / "notes.txt") << "not an image either";
  }
  void TearDown() override { fs::remove_all(folder_); }
  fs::path folder_;
};

TEST_F(ImageFolderTest, DecodesResizesAndWarnsAboutBrokenFiles) {
  ::testing::internal::CaptureStderr();
  auto source = build("image_folder", {{"path", folder_.string()}, {"size", 16}});
  const std::string warnings = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(warnings.find("corrupt.png"), std::string::npos) << warnings;
  EXPECT_EQ(warnings.find("notes.txt"), std::string::npos)
      << warnings;  // not an image name: ignored silently
  ASSERT_EQ(source->size(), 5);
  const torch::Tensor images = source->load(all(5), torch::kCPU, false);
  ASSERT_EQ(images.sizes(), (std::vector<int64_t>{5, 16, 16, 3}));
  EXPECT_TRUE(
      torch::equal(images[0], torch::tensor({200, 60, 30}, torch::kByte).expand({16, 16, 3})));
  EXPECT_TRUE(torch::equal(images[1], torch::full({16, 16, 3}, 77, torch::kByte)));
  // Centre crop: green only (RGB 0, 255, 0), no blue from the side bands.
  EXPECT_EQ(images[2].select(2, 2).max().item<int>(), 0);
  EXPECT_EQ(images[2].select(2, 1).min().item<int>(), 255);
  // The JPEG in the sub-folder is close to RGB (30, 20, 10) (lossy).
  EXPECT_NEAR(images[4].to(torch::kFloat).view({-1, 3}).mean(0)[0].item<double>(), 30.0, 4.0);
  EXPECT_NEAR(images[4].to(torch::kFloat).view({-1, 3}).mean(0)[2].item<double>(), 10.0, 4.0);
}

TEST_F(ImageFolderTest, NonRecursiveSkipsSubFolders) {
  ::testing::internal::CaptureStderr();
  auto source =
      build("image_folder", {{"path", folder_.string()}, {"size", 16}, {"recursive", false}});
  ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(source->size(), 4);
}

TEST_F(ImageFolderTest, TooFewImagesNamesFolderAndCount) {
  ::testing::internal::CaptureStderr();
  try {
    build("image_folder", {{"path", folder_.string()}, {"size", 16}, {"min_images", 6}});
    ::testing::internal::GetCapturedStderr();
    FAIL() << "min_images was not enforced";
  } catch (const Error& error) {
    ::testing::internal::GetCapturedStderr();
    const std::string message = error.what();
    EXPECT_NE(message.find(folder_.string()), std::string::npos) << message;
    EXPECT_NE(message.find("has 5 readable"), std::string::npos) << message;
  }
  EXPECT_THROW(build("image_folder", {{"path", (folder_ / "missing").string()}}), ParamError);
  EXPECT_THROW(build("image_folder", {{"size", 16}}), ParamError);  // path is required
}

TEST_F(ImageFolderTest, AugmentationIsDeterministicGivenTheSeed) {
  ::testing::internal::CaptureStderr();
  auto a = build("image_folder", {{"path", folder_.string()}, {"size", 16}});
  auto b = build("image_folder", {{"path", folder_.string()}, {"size", 16}});
  auto crop =
      build("image_folder", {{"path", folder_.string()}, {"size", 16}, {"augment_crop", true}});
  ::testing::internal::GetCapturedStderr();
  const torch::Tensor plain = a->load(all(5), torch::kCPU, false);
  int64_t flipped = 0;
  for (int call = 0; call < 8; ++call) {
    const torch::Tensor first = a->load(all(5), torch::kCPU, true);
    EXPECT_TRUE(torch::equal(first, b->load(all(5), torch::kCPU, true)));
    flipped += count_flips(plain, first);
  }
  // Only d_grad changes under a flip; over 8 calls it is flipped in some, not all.
  EXPECT_GT(flipped, 0);
  EXPECT_LT(flipped, 8);
  // augment_crop: 16x16 windows of images stored at round(16 * 1.15) = 18; a
  // constant image stays constant wherever the window falls.
  const torch::Tensor cropped = crop->load(all(5), torch::kCPU, true);
  ASSERT_EQ(cropped.sizes(), (std::vector<int64_t>{5, 16, 16, 3}));
  EXPECT_TRUE(torch::equal(cropped[1], torch::full({16, 16, 3}, 77, torch::kByte)));
}

#endif  // STEGOLAB_WITH_OPENCV

}  // namespace
}  // namespace stegolab
