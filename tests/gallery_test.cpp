// Galleries: the pictures a trial leaves when it ends, what the database says
// of them, and `stegolab gallery` writing them again from a checkpoint.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include <torch/torch.h>

#include "support/build_locations.hpp"
#include "image_io/image_io.hpp"
#include "run/sweep_runner.hpp"
#include "stegolab/pixel_scale.hpp"
#include "store/result_store.hpp"
#include "support/tiny_experiment.hpp"
#include "support/tiny_run_plugins.hpp"

namespace stegolab {
namespace {

using ::testing::HasSubstr;

TEST(AmplifiedDifference, IsTheEightBitResidualTimesTheFactorClampedAt255) {
  // Pixels 100, 103 and 0 against 100, 100 and 200, as [-1, 1] images.
  const auto to_model = [](std::vector<float> pixels) {
    return torch::tensor(pixels).reshape({1, 1, 1, 3}) / 127.5 - 1.0;
  };
  const torch::Tensor a = to_model({100, 103, 0});
  const torch::Tensor b = to_model({100, 100, 200});
  const torch::Tensor x10 = amplified_difference(a, b, 10.0);
  ASSERT_EQ(x10.scalar_type(), torch::kUInt8);
  ASSERT_EQ(x10.sizes(), (std::vector<int64_t>{1, 1, 3, 1}));  // NHWC
  EXPECT_EQ(x10.flatten()[0].item<int>(), 0);
  EXPECT_EQ(x10.flatten()[1].item<int>(), 30);
  EXPECT_EQ(x10.flatten()[2].item<int>(), 255);
  // Less than half a level apart: the same 8-bit value, no residual.
  EXPECT_EQ(amplified_difference(a + 0.001, a, 20.0).sum().item<int>(), 0);
}

class TrialGallery : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const std::string missing = missing_tiny_run_plugin(); !missing.empty())
      GTEST_SKIP() << "plugin " << missing << " is not in this build";
    dir_ = fresh_test_folder("gallery_test");
  }

  std::vector<GalleryImage> gallery_of_first_trial() const {
    ResultStore store(dir_ / "tiny.db", ResultStore::Mode::read_only);
    return store.gallery(store.trials(store.experiment("tiny").id).at(0).id);
  }

  CommandResult gallery_command(const std::string& options) const {
    return run_shell(std::string(STEGOLAB_TEST_BINARY) + " gallery --db " +
                     (dir_ / "tiny.db").string() + " " + options);
  }

  std::filesystem::path dir_;
};

std::string file_bytes(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

TEST_F(TrialGallery, EveryPanelOfTheFirstTestSamplesIsAFileTheDatabaseNames) {
  const CommandResult run = run_tiny_experiment(dir_, tiny_experiment());
  ASSERT_EQ(run.status, 0) << run.output;
  const std::vector<GalleryImage> images = gallery_of_first_trial();
  const std::vector<std::string> panels = {
      "cover",  "stego",     "stego_residual_x10",    "stego_residual_x20",
      "secret", "recovered", "recovered_residual_x10"};
  ASSERT_EQ(images.size(), 3 * panels.size());  // eval.gallery 3
  for (size_t i = 0; i < images.size(); ++i) {
    const GalleryImage& image = images[i];
    EXPECT_EQ(image.split, Split::test);
    EXPECT_EQ(image.sample, static_cast<int64_t>(i / panels.size()));
    EXPECT_EQ(image.panel, panels[i % panels.size()]);
    EXPECT_FALSE(image.caption.empty());
    EXPECT_EQ(image.width, 16);
    EXPECT_EQ(image.height, 16);
    ASSERT_TRUE(std::filesystem::is_regular_file(image.path)) << image.path;
    const torch::Tensor pixels = read_image(image.path, nullptr);
    EXPECT_EQ(pixels.sizes(), (std::vector<int64_t>{16, 16, 3}));
  }
  // Next to the checkpoints, and named relative to the database's folder.
  EXPECT_EQ(images[0].path.parent_path(), run_folder(dir_ / "tiny.db") / "1" / "gallery" / "test");
}

TEST_F(TrialGallery, TheResidualPicturesAreTheAmplifiedDifferencesOfTheWrittenPictures) {
  const CommandResult run = run_tiny_experiment(dir_, tiny_experiment());
  ASSERT_EQ(run.status, 0) << run.output;
  std::map<std::string, torch::Tensor> sample0;
  for (const GalleryImage& image : gallery_of_first_trial()) {
    if (image.sample == 0) sample0[image.panel] = read_image(image.path, nullptr).to(torch::kInt);
  }
  const torch::Tensor residual = (sample0.at("stego") - sample0.at("cover")).abs();
  EXPECT_TRUE(torch::equal(sample0.at("stego_residual_x10"), (residual * 10).clamp_max(255)));
  EXPECT_TRUE(torch::equal(sample0.at("stego_residual_x20"), (residual * 20).clamp_max(255)));
  const torch::Tensor recovery = (sample0.at("recovered") - sample0.at("secret")).abs();
  EXPECT_TRUE(torch::equal(sample0.at("recovered_residual_x10"), (recovery * 10).clamp_max(255)));
  // A trained model changes the picture, a little.
  EXPECT_GT(residual.sum().item<int64_t>(), 0);
}

TEST_F(TrialGallery, ZeroPicturesWritesNoneAndRecordsNone) {
  const CommandResult run =
      run_tiny_experiment(dir_, tiny_experiment({{"eval", {{"gallery", 0}}}}));
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_TRUE(gallery_of_first_trial().empty());
  EXPECT_FALSE(std::filesystem::exists(run_folder(dir_ / "tiny.db") / "1" / "gallery"));
}

TEST_F(TrialGallery, TheCommandWritesThemAgainFromACheckpointAtAnySize) {
  const CommandResult run = run_tiny_experiment(dir_, tiny_experiment());
  ASSERT_EQ(run.status, 0) << run.output;
  const std::vector<GalleryImage> recorded = gallery_of_first_trial();

  // One epoch: the last checkpoint holds the weights the trial ended with.
  const CommandResult again =
      gallery_command("--trial 1 --checkpoint last --out " + (dir_ / "again").string());
  ASSERT_EQ(again.status, 0) << again.output;
  EXPECT_THAT(again.output, HasSubstr("wrote 21 pictures of trial 1"));
  for (const GalleryImage& image : recorded) {
    if (image.panel == "recovered" || image.panel == "recovered_residual_x10") continue;
    EXPECT_EQ(file_bytes(dir_ / "again" / image.path.filename()), file_bytes(image.path))
        << image.path.filename();
  }

  const CommandResult larger = gallery_command("--trial r0 --size 32 --count 2 --split val");
  ASSERT_EQ(larger.status, 0) << larger.output;
  const auto folder = run_folder(dir_ / "tiny.db") / "1" / "gallery" / "val-best";
  const torch::Tensor pixels = read_image(folder / "001_stego.png", nullptr);
  EXPECT_EQ(pixels.sizes(), (std::vector<int64_t>{32, 32, 3}));
  EXPECT_FALSE(std::filesystem::exists(folder / "002_stego.png"));
}

TEST_F(TrialGallery, TheCommandSaysOnOneLineWhatIsWrong) {
  const CommandResult run = run_tiny_experiment(dir_, tiny_experiment());
  ASSERT_EQ(run.status, 0) << run.output;
  const CommandResult unknown = gallery_command("--trial 99");
  EXPECT_NE(unknown.status, 0);
  EXPECT_THAT(unknown.output, HasSubstr("99"));
  const CommandResult checkpoint = gallery_command("--trial 1 --checkpoint middle");
  EXPECT_NE(checkpoint.status, 0);
  EXPECT_THAT(checkpoint.output, HasSubstr("--checkpoint: expected best or last"));
  std::filesystem::remove_all(run_folder(dir_ / "tiny.db") / "1" / "best");
  const CommandResult missing = gallery_command("--trial 1");
  EXPECT_NE(missing.status, 0);
  EXPECT_THAT(missing.output, HasSubstr("no best checkpoint"));
  for (const CommandResult* result : {&unknown, &checkpoint, &missing}) {
    EXPECT_EQ(std::count(result->output.begin(), result->output.end(), '\n'), 1) << result->output;
  }
}

}  // namespace
}  // namespace stegolab
