// `stegolab compare`: the metric set of two image files against the NumPy
// reference values, and its one-line errors.
#include <algorithm>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "support/build_locations.hpp"
#include "image_io/image_io.hpp"
#include "support/reference_pattern.hpp"
#include "support/shell_command.hpp"
#include "support/tiny_experiment.hpp"

namespace {

namespace fs = std::filesystem;

// uint8 [H, W, 3] of a 1x3xHxW float image on 0-255.
torch::Tensor as_file_pixels(const torch::Tensor& nchw) {
  return nchw[0].permute({1, 2, 0}).to(torch::kUInt8).contiguous();
}

CommandResult compare(const std::string& arguments) {
  return run_shell(std::string(STEGOLAB_TEST_BINARY) + " compare " + arguments);
}

class Compare : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fresh_test_folder("compare_test");
    const auto [a, b] = reference_pattern(48, 40);
    stegolab::write_image(dir_ / "a.png", as_file_pixels(a));
    stegolab::write_image(dir_ / "b.png", as_file_pixels(b));
  }
  std::string file(const std::string& name) const { return (dir_ / name).string(); }
  fs::path dir_;
};

TEST_F(Compare, JsonMatchesTheNumpyReference) {
  const CommandResult result = compare(file("a.png") + " " + file("b.png") + " --json");
  ASSERT_EQ(result.status, 0) << result.output;
  const auto values = nlohmann::json::parse(result.output);
  // Expected: tests/reference/image_quality_reference.py, 48x40 images.
  EXPECT_NEAR(values.at("psnr").get<double>(), 26.8680179104, 1e-4);
  EXPECT_NEAR(values.at("psnr_y_matlab").get<double>(), 28.5947387764, 1e-4);
  EXPECT_NEAR(values.at("psnr_y_full").get<double>(), 27.2728174645, 1e-4);
  EXPECT_NEAR(values.at("ssim").get<double>(), 0.9267915917, 1e-5);
  EXPECT_NEAR(values.at("ms_ssim").get<double>(), 0.9773553808, 1e-5);
  EXPECT_NEAR(values.at("apd").get<double>(), 9.9352430556, 1e-5);
  EXPECT_EQ(values.at("max_abs_diff").get<double>(), 20.0);
  EXPECT_EQ(values.at("width").get<int>(), 40);
  EXPECT_EQ(values.at("height").get<int>(), 48);
}

TEST_F(Compare, PrintsOneLineAndInfinityForIdenticalImages) {
  const CommandResult different = compare(file("a.png") + " " + file("b.png"));
  ASSERT_EQ(different.status, 0) << different.output;
  EXPECT_EQ(different.output.rfind("psnr 26.87 dB  psnr_y_matlab 28.59 dB  psnr_y_full 27.27 dB  "
                                   "ssim 0.9268  ms_ssim 0.9774  apd 9.94",
                                   0),
            0u)
      << different.output;
  EXPECT_EQ(different.output.find('\n'), different.output.size() - 1);
  const CommandResult same = compare(file("a.png") + " " + file("a.png"));
  EXPECT_EQ(same.output.rfind("psnr inf dB  ", 0), 0u) << same.output;
}

TEST_F(Compare, MissingFilesAndDifferentSizesAreOneLineErrors) {
  const CommandResult missing = compare(file("a.png") + " " + file("nowhere.png"));
  EXPECT_NE(missing.status, 0);
  EXPECT_NE(missing.output.find("nowhere.png' does not exist"), std::string::npos)
      << missing.output;
  stegolab::write_image(dir_ / "small.png", torch::zeros({8, 8, 3}, torch::kUInt8));
  const CommandResult sizes = compare(file("a.png") + " " + file("small.png"));
  EXPECT_NE(sizes.status, 0);
  EXPECT_NE(sizes.output.find("is 40x48, '" + file("small.png") +
                              "' is 8x8: the images must have the same size"),
            std::string::npos)
      << sizes.output;
  EXPECT_EQ(std::count(sizes.output.begin(), sizes.output.end(), '\n'), 1) << sizes.output;
  const CommandResult one = compare(file("a.png"));
  EXPECT_NE(one.output.find("expected two image files, got 1"), std::string::npos) << one.output;
}

}  // namespace
