// The `image_folder` dataset at native resolution: crops of images of any
// size and format, the listing from headers, worker threads, the decoded-
// image cache and corrupt files, with images the tests write themselves.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <torch/torch.h>

#if defined(STEGOLAB_WITH_OPENCV)
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#endif

#include "data/batch_pipeline.hpp"
#include "plugin_host/plugin_registry.hpp"
#include "support/build_locations.hpp"
#include "stegolab/dataset.hpp"
#include "stegolab/errors.hpp"
#include "stegolab/pixel_scale.hpp"
#include "support/test_folder.hpp"
#include "support/test_plugin_registry.hpp"

namespace stegolab {
namespace {

#if defined(STEGOLAB_WITH_OPENCV)

namespace fs = std::filesystem;
using nlohmann::json;

std::shared_ptr<ImageSource> build_folder(const json& params, uint64_t seed = 11) {
  PluginRegistry* registry = &stegolab::testing::test_plugin_registry();
  BuildContext context;
  context.seed = seed;
  return registry->build<ImageSource>("image_folder", params, context);
}

// Pixel (r, c) is RGB (r, c, 7): a window's pixels say where it was cut.
cv::Mat coordinates(int rows, int cols) {
  cv::Mat image(rows, cols, CV_8UC3);
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) image.at<cv::Vec3b>(r, c) = cv::Vec3b(7, c, r);  // BGR
  }
  return image;
}

class NativeFolder : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = stegolab::testing::make_test_folder("stegolab_native");
    // Sorted: a (odd, non-square), b (wide), c (16-bit), d (gray), e (RGBA), f (small).
    cv::imwrite(path("a_odd.png"), coordinates(37, 53));
    cv::imwrite(path("b_wide.png"), coordinates(20, 90));
    cv::imwrite(path("c_deep.png"), cv::Mat(24, 30, CV_16UC3, cv::Scalar(0x1000, 0x4000, 0x8000)));
    cv::imwrite(path("d_gray.png"), cv::Mat(33, 17, CV_8UC1, cv::Scalar(99)));
    cv::imwrite(path("e_alpha.png"), cv::Mat(19, 21, CV_8UC4, cv::Scalar(10, 20, 30, 128)));
    cv::imwrite(path("f_small.jpg"), cv::Mat(8, 12, CV_8UC3, cv::Scalar(50, 50, 50)));
  }
  void TearDown() override { fs::remove_all(folder_); }
  std::string path(const std::string& name) const { return (folder_ / name).string(); }
  json params(json extra = json::object()) const {
    json p = {{"path", folder_.string()}, {"crop", 16}, {"workers", 1}};
    p.update(extra);
    return p;
  }
  fs::path folder_;
};

TEST_F(NativeFolder, ReportsEveryImagesOwnSizeFromItsHeader) {
  auto source = build_folder(params());
  ASSERT_EQ(source->size(), 6);
  EXPECT_EQ(source->extent(0), (ImageExtent{37, 53}));
  EXPECT_EQ(source->extent(1), (ImageExtent{20, 90}));
  EXPECT_EQ(source->extent(3), (ImageExtent{33, 17}));
  EXPECT_EQ(source->extent(5), (ImageExtent{8, 12}));  // JPEG frame header
  EXPECT_EQ(source->sample_extent(true), (ImageExtent{16, 16}));
  EXPECT_EQ(source->sample_extent(false), (ImageExtent{16, 16}));
  EXPECT_EQ(build_folder(params({{"eval_crop", 12}}))->sample_extent(false), (ImageExtent{12, 12}));
}

TEST_F(NativeFolder, EvaluationTakesTheCentreAtNativeResolution) {
  auto source = build_folder(params({{"eval_crop", 12}}));
  const torch::Tensor images = source->load(torch::arange(6), torch::kCPU, false);
  ASSERT_EQ(images.sizes(), (std::vector<int64_t>{6, 12, 12, 3}));
  // 37x53: the window starts at row (37 - 12) / 2 = 12, column (53 - 12) / 2 = 20.
  EXPECT_EQ(images[0][0][0][0].item<int>(), 12);
  EXPECT_EQ(images[0][0][0][1].item<int>(), 20);
  EXPECT_EQ(images[0][11][11][0].item<int>(), 23);
  // 16-bit becomes 8-bit (0x8000 -> 128 in red), gray and RGBA become RGB.
  EXPECT_TRUE(torch::equal(images[2][5][5], torch::tensor({128, 64, 16}, torch::kByte)));
  EXPECT_TRUE(torch::equal(images[3], torch::full({12, 12, 3}, 99, torch::kByte)));
  EXPECT_TRUE(torch::equal(images[4][0][0], torch::tensor({30, 20, 10}, torch::kByte)));
  // An image smaller than the window is enlarged, not padded: still uniform.
  EXPECT_NEAR(images[5].to(torch::kFloat).mean().item<double>(), 50.0, 2.0);
}

TEST_F(NativeFolder, EvaluationWindowsMayBeWiderThanTall) {
  auto source = build_folder(params({{"eval_height", 10}, {"eval_width", 30}}));
  EXPECT_EQ(source->sample_extent(false), (ImageExtent{10, 30}));
  EXPECT_EQ(source->sample_extent(true), (ImageExtent{16, 16}));
  const torch::Tensor images = source->load(torch::arange(2), torch::kCPU, false);
  ASSERT_EQ(images.sizes(), (std::vector<int64_t>{2, 10, 30, 3}));
  // 37x53: the window starts at row (37 - 10) / 2 = 13, column (53 - 30) / 2 = 11.
  EXPECT_EQ(images[0][0][0][0].item<int>(), 13);
  EXPECT_EQ(images[0][0][0][1].item<int>(), 11);
  EXPECT_EQ(images[0][9][29][1].item<int>(), 40);
  // 20x90 holds 10x30 at native resolution: rows 5.., columns 30...
  EXPECT_EQ(images[1][0][0][0].item<int>(), 5);
  EXPECT_EQ(images[1][0][0][1].item<int>(), 30);
  EXPECT_THROW(build_folder(params({{"eval_height", 10}})), ParamError);
  EXPECT_THROW(build_folder(params({{"eval_height", 10}, {"eval_width", 30}, {"eval_crop", 8}})),
               ParamError);
}

TEST_F(NativeFolder, TrainingWindowsReachEveryBorderAndStayInside) {
  auto source = build_folder(params({{"augment_flip", false}}));
  int64_t lowest = 1000, highest = -1;
  for (int call = 0; call < 64; ++call) {
    const torch::Tensor window = source->load(torch::tensor({1}, torch::kLong), torch::kCPU, true)[0];
    const int64_t top = window[0][0][0].item<int64_t>();
    const int64_t left = window[0][0][1].item<int64_t>();
    // Contiguous and inside the 20x90 image.
    EXPECT_EQ(window[15][15][0].item<int64_t>(), top + 15);
    EXPECT_EQ(window[15][15][1].item<int64_t>(), left + 15);
    EXPECT_LE(top, 20 - 16);
    EXPECT_LE(left, 90 - 16);
    lowest = std::min(lowest, top);
    highest = std::max(highest, top);
  }
  EXPECT_EQ(lowest, 0);   // the top border
  EXPECT_EQ(highest, 4);  // the bottom border (5 positions, 64 draws)
}

// The k-th sample of an epoch is the same window whatever the worker count and batch sizes.
TEST_F(NativeFolder, CropsAreDeterministicAcrossWorkersAndBatchSizes) {
  const torch::Tensor order = torch::tensor({0, 1, 1, 4, 2, 0, 3, 5, 1, 0, 2, 4}, torch::kLong);
  auto one = build_folder(params({{"workers", 1}}));
  auto three = build_folder(params({{"workers", 3}, {"cache", true}}));
  one->seed_augmentations(5);
  three->seed_augmentations(5);
  std::vector<torch::Tensor> by_four, by_five;
  for (int64_t begin = 0; begin < 12; begin += 4)
    by_four.push_back(one->load(order.slice(0, begin, begin + 4), torch::kCPU, true));
  for (int64_t begin = 0; begin < 12; begin += 5)
    by_five.push_back(three->load(order.slice(0, begin, begin + 5), torch::kCPU, true));
  EXPECT_TRUE(torch::equal(torch::cat(by_four), torch::cat(by_five)));
  // A new seed, new windows.
  one->seed_augmentations(6);
  EXPECT_FALSE(torch::equal(one->load(order, torch::kCPU, true), torch::cat(by_four)));
}

TEST_F(NativeFolder, AFileThatWillNotDecodeIsWarnedAboutOnceAndReplacedByTheNext) {
  // A PNG whose header is intact (listed, with its size) but whose pixels are cut off.
  const std::string broken = path("b_wide.png");
  fs::resize_file(broken, 60);
  ::testing::internal::CaptureStderr();
  auto source = build_folder(params({{"eval_crop", 12}}));
  ASSERT_EQ(source->size(), 6);
  const torch::Tensor first = source->load(torch::tensor({1, 1, 2}, torch::kLong), torch::kCPU, false);
  const torch::Tensor again = source->load(torch::tensor({1}, torch::kLong), torch::kCPU, false);
  const std::string warnings = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(warnings.find("b_wide.png"), warnings.rfind("b_wide.png")) << warnings;
  EXPECT_NE(warnings.find("b_wide.png"), std::string::npos) << warnings;
  // Image 1 is served as image 2 (c_deep), every time.
  EXPECT_TRUE(torch::equal(first[0], first[2]));
  EXPECT_TRUE(torch::equal(again[0], first[2]));
}

TEST_F(NativeFolder, ParametersSayHowToChooseBetweenCropAndResize) {
  json both = params({{"size", 16}});
  try {
    build_folder(both);
    FAIL() << "crop and size together were accepted";
  } catch (const ParamError& error) {
    EXPECT_NE(std::string(error.what()).find("exactly one of 'crop'"), std::string::npos);
  }
  json neither = params();
  neither.erase("crop");
  EXPECT_THROW(build_folder(neither), ParamError);
  EXPECT_THROW(build_folder(params({{"augment_crop", true}})), ParamError);
  EXPECT_EQ(build_folder(params({{"crops_per_image", 4}}))->crops_per_image(), 4);
}

// ---- eval_crop "whole": every image at its own size ----

TEST_F(NativeFolder, WholeImageEvaluationServesEachImageAtItsOwnSize) {
  auto source = build_folder(params({{"eval_crop", "whole"}}));
  EXPECT_TRUE(source->whole_image_evaluation());
  EXPECT_EQ(source->sample_extent(false), (ImageExtent{}));   // no one size
  EXPECT_EQ(source->sample_extent(true), (ImageExtent{16, 16}));  // training unchanged
  EXPECT_FALSE(build_folder(params({{"eval_crop", 12}}))->whole_image_evaluation());
  // a_odd.png, 37x53, whole: pixel (r, c) holds (r, c, 7) as written.
  const torch::Tensor whole = source->load_window(torch::tensor({0}, torch::kLong),
                                                  source->extent(0), torch::kCPU);
  ASSERT_EQ(whole.sizes(), (std::vector<int64_t>{1, 37, 53, 3}));
  EXPECT_EQ(whole[0][36][52][0].item<int>(), 36);
  EXPECT_EQ(whole[0][36][52][1].item<int>(), 52);
  // Another image fitted to it (a secret to its cover): b_wide.png, 20x90, is
  // enlarged by 37 / 20 (aspect kept) and its centre 37x53 window taken.
  const torch::Tensor fitted = source->load_window(torch::tensor({1}, torch::kLong),
                                                   source->extent(0), torch::kCPU);
  ASSERT_EQ(fitted.sizes(), (std::vector<int64_t>{1, 37, 53, 3}));
  // load() itself serves whole images of one size, and refuses a mix.
  EXPECT_TRUE(torch::equal(source->load(torch::tensor({0}, torch::kLong), torch::kCPU, false),
                           whole));
  EXPECT_THROW(source->load(torch::tensor({0, 1}, torch::kLong), torch::kCPU, false), PluginError);
}

TEST_F(NativeFolder, BadEvalCropValuesAreOneLineErrorsNamingTheParameter) {
  const std::vector<std::pair<json, std::string>> cases = {
      // Checked against the plugin's declaration (when the experiment loads).
      {"hole",
       "parameter 'eval_crop' must be a number in [0, 65536] or one of whole, got \"hole\""},
      {-3, "parameter 'eval_crop' must be in [0, 65536], got -3"},
      // Checked by the plugin.
      {true, "parameter 'eval_crop' must be a side in pixels (0: crop's) or \"whole\", got true"},
      {4.5, "parameter 'eval_crop' must be an integer"},
  };
  for (const auto& [value, expected] : cases) {
    try {
      build_folder(params({{"eval_crop", value}}));
      ADD_FAILURE() << "eval_crop " << value.dump() << " was accepted";
    } catch (const ParamError& error) {
      const std::string message = error.what();
      EXPECT_NE(message.find(expected), std::string::npos) << message;
      EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    }
  }
  EXPECT_THROW(build_folder(params({{"eval_crop", "whole"}, {"size", 16}, {"crop", 0}})),
               ParamError);
  EXPECT_THROW(
      build_folder(params({{"eval_crop", "whole"}, {"eval_height", 8}, {"eval_width", 8}})),
      ParamError);
}

// Images of two sizes (18x26 and 20x14) and a third: each evaluated exactly
// once, in batches of one size, through the host's batch pipeline.
TEST(WholeImageFolder, AMixedSizeFolderEvaluatesEveryImageOnceInBatchesOfOneSize) {
  const fs::path folder = fs::temp_directory_path() /
                          ("stegolab_whole_" + std::to_string(::getpid()));
  fs::remove_all(folder);
  fs::create_directories(folder);
  const std::vector<std::pair<int, int>> sizes = {{18, 26}, {20, 14}, {18, 26}, {20, 14}, {18, 26},
                                                  {9, 7}};
  for (size_t i = 0; i < sizes.size(); ++i) {
    // Blue channel 10 * (i + 1): which image a sample came from.
    cv::imwrite((folder / ("img" + std::to_string(i) + ".png")).string(),
                cv::Mat(sizes[i].first, sizes[i].second, CV_8UC3,
                        cv::Scalar(10.0 * static_cast<double>(i + 1), 0, 0)));
  }
  auto source = build_folder({{"path", folder.string()}, {"crop", 8}, {"eval_crop", "whole"},
                              {"workers", 2}});
  const torch::Tensor firsts = torch::arange(6, torch::kLong);
  const TensorMap samples = {{"first", firsts}, {"second", torch::roll(firsts, -1, 0)}};
  BatchPipeline pipeline(source, torch::kCPU, /*augment=*/false, samples, /*batch_size=*/2,
                         /*drop_last=*/false);
  // 18x26 three times (batches of 2 and 1), 20x14 twice, 9x7 once.
  EXPECT_EQ(pipeline.batch_count(), 4);
  std::multiset<int> seen;
  while (std::optional<TensorMap> batch = pipeline.next()) {
    const torch::Tensor first = images_to_uint8(batch->at("first"));
    const torch::Tensor second = images_to_uint8(batch->at("second"));
    EXPECT_EQ(first.sizes(), second.sizes());  // the second image fitted to the first
    for (int64_t i = 0; i < first.size(0); ++i) {
      const int marker = first[i][0][0][2].item<int>();
      const auto image = static_cast<size_t>(marker / 10 - 1);
      ASSERT_LT(image, sizes.size());
      EXPECT_EQ(first.size(1), sizes[image].first);
      EXPECT_EQ(first.size(2), sizes[image].second);
      // Its pair partner is the next image, whatever its own size.
      EXPECT_EQ(second[i][0][0][2].item<int>(), 10 * static_cast<int>((image + 1) % 6 + 1));
      seen.insert(marker);
    }
  }
  EXPECT_EQ(seen, (std::multiset<int>{10, 20, 30, 40, 50, 60}));
  fs::remove_all(folder);
}

#endif  // STEGOLAB_WITH_OPENCV

}  // namespace
}  // namespace stegolab
