// `stegolab evaluate`: another method's folders measured with the task's
// metrics and recorded as an external trial. The images are written here:
// 16x16 covers, stegos = cover + a known change, so the expected numbers
// follow by hand from the definitions (each test says how).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>

#include <torch/torch.h>
#include <opencv2/imgcodecs.hpp>

#include "image_io/image_io.hpp"
#include "store/result_store.hpp"
#include "support/build_locations.hpp"
#include "support/tiny_experiment.hpp"

namespace stegolab {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

constexpr int64_t kSide = 16;
const char* const kName = "HiNet, authors' checkpoint";

// Image `seed`: even values 10..240 (an odd change then flips only the
// lowest bit), the same in every channel.
torch::Tensor cover_image(int64_t seed) {
  const torch::Tensor levels =
      (torch::arange(kSide * kSide, torch::kLong).reshape({kSide, kSide}) * 7 + seed * 30) % 116;
  return (levels * 2 + 10).to(torch::kByte).unsqueeze(2).expand({kSide, kSide, 3}).contiguous();
}

// +change and -change on alternate pixels (a checkerboard), every channel.
torch::Tensor changed(const torch::Tensor& image, int64_t change) {
  const torch::Tensor index = torch::arange(kSide, torch::kLong);
  const torch::Tensor sign = ((index.unsqueeze(1) + index.unsqueeze(0)) % 2) * 2 - 1;
  return (image.to(torch::kLong) + (sign * change).unsqueeze(2)).to(torch::kByte);
}

class EvaluateCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fresh_test_folder("evaluate_command_test");
    for (const char* folder : {"cover", "stego", "secret", "recovered"}) {
      fs::create_directories(dir_ / folder);
    }
  }

  // Covers, stegos (cover +-stego_change), secrets and recovered secrets
  // (secret + 1 everywhere) named img0 .. img<count-1>.
  void write_images(int64_t count, int64_t stego_change = 2) const {
    for (int64_t i = 0; i < count; ++i) {
      const std::string file = "img" + std::to_string(i) + ".png";
      write_image(dir_ / "cover" / file, cover_image(i));
      write_image(dir_ / "stego" / file, changed(cover_image(i), stego_change));
      write_image(dir_ / "secret" / file, cover_image(i + 7));
      write_image(dir_ / "recovered" / file, (cover_image(i + 7) + 1).contiguous());
    }
  }

  CommandResult evaluate(const std::string& options) const {
    return run_shell(std::string(STEGOLAB_TEST_BINARY) + " evaluate --db " +
                     (dir_ / "r.db").string() + " --name \"" + kName + "\" --cover " +
                     (dir_ / "cover").string() + " " + options);
  }
  std::string folder(const char* name) const { return (dir_ / name).string(); }
  std::string all_folders() const {
    return "--stego " + folder("stego") + " --secret " + folder("secret") + " --recovered " +
           folder("recovered");
  }

  std::map<std::string, double> metrics(int64_t* trials = nullptr) const {
    const ResultStore store(dir_ / "r.db", ResultStore::Mode::read_only);
    const auto all = store.trials(store.experiment("external").id);
    if (trials != nullptr) *trials = static_cast<int64_t>(all.size());
    EXPECT_EQ(all.at(0).kind, "external");
    EXPECT_EQ(all.at(0).key, kName);
    std::map<std::string, double> values;
    for (const MetricRow& row : store.final_metrics(all.at(0).id)) values[row.metric] = row.value;
    return values;
  }

  fs::path dir_;
};

TEST_F(EvaluateCommand, MeasuresTheFoldersAsATrialOfKindExternal) {
  write_images(3);
  const CommandResult run = evaluate(all_folders());
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_THAT(run.output, HasSubstr("3 matched images of 16x16"));
  const auto values = metrics();
  // Every stego differs by +-2 in every value: MSE 4, PSNR 20 log10(255 / 2).
  EXPECT_NEAR(values.at("hide_psnr"), 20 * std::log10(255.0 / 2), 1e-3);
  EXPECT_NEAR(values.at("hide_apd"), 2.0, 1e-6);
  // Studio-range luma scales a grey change by 219/255 (MATLAB's rgb2ycbcr).
  EXPECT_NEAR(values.at("hide_psnr_y_matlab"), 20 * std::log10(255.0 / (2 * 219.0 / 255)), 1e-3);
  // Recovered = secret + 1: MSE 1, PSNR 20 log10(255); the secrets are even,
  // so +1 flips exactly one bit of 8.
  EXPECT_NEAR(values.at("rec_psnr"), 20 * std::log10(255.0), 1e-3);
  EXPECT_NEAR(values.at("ber"), 1.0 / 8, 1e-9);
  EXPECT_EQ(values.at("payload_bpp"), 24.0);  // one RGB secret per cover pixel, 8 bits a value
  EXPECT_EQ(values.count("steganalysis_cnn_auc"), 0u);
}

TEST_F(EvaluateCommand, ARerunUpdatesTheTrialInsteadOfAddingOne) {
  write_images(2);
  ASSERT_EQ(evaluate(all_folders()).status, 0);
  // The same images with an attack label: added beside the clean numbers.
  const CommandResult attacked = evaluate(all_folders() + " --attack 'jpeg(q=90)'");
  ASSERT_EQ(attacked.status, 0) << attacked.output;
  EXPECT_THAT(attacked.output, HasSubstr("updated trial 1"));
  int64_t trials = 0;
  auto values = metrics(&trials);
  EXPECT_EQ(trials, 1);
  EXPECT_EQ(values.count("rec_psnr"), 1u);
  EXPECT_NEAR(values.at("rec_psnr@jpeg(q=90)"), 20 * std::log10(255.0), 1e-3);
  // Other stegos (+-1: PSNR 20 log10(255)): the earlier numbers are deleted.
  write_images(2, 1);
  const CommandResult other = evaluate("--stego " + folder("stego"));
  ASSERT_EQ(other.status, 0) << other.output;
  EXPECT_THAT(other.output, HasSubstr("its earlier metrics were deleted"));
  values = metrics(&trials);
  EXPECT_EQ(trials, 1);
  EXPECT_NEAR(values.at("hide_psnr"), 20 * std::log10(255.0), 1e-3);
  EXPECT_EQ(values.count("rec_psnr@jpeg(q=90)"), 0u);
}

TEST_F(EvaluateCommand, TheTrialIsARowOfTheReportAndOfTheResults) {
  write_images(2);
  ASSERT_EQ(evaluate("--stego " + folder("stego")).status, 0);
  const std::string db = " --db " + (dir_ / "r.db").string();
  const CommandResult report = run_shell(std::string(STEGOLAB_TEST_BINARY) + " report" + db +
                                         " --rows model.plugin --metrics hide_psnr,hide_apd");
  ASSERT_EQ(report.status, 0) << report.output;
  // 20 log10(255 / 2) = 42.11 dB, APD 2.
  EXPECT_THAT(report.output, HasSubstr(std::string("| ") + kName));
  EXPECT_THAT(report.output, HasSubstr("42.11"));
  const CommandResult show =
      run_shell(std::string(STEGOLAB_TEST_BINARY) + " results show external" + db);
  ASSERT_EQ(show.status, 0) << show.output;
  EXPECT_THAT(show.output, HasSubstr("external  " + std::string(kName)));
}

TEST_F(EvaluateCommand, UnmatchedNamesAreNamedWithTheirFolder) {
  write_images(3);
  fs::remove(dir_ / "stego" / "img1.png");
  const CommandResult run = evaluate("--stego " + folder("stego"));
  EXPECT_NE(run.status, 0);
  EXPECT_THAT(run.output, HasSubstr("1 image(s) of --cover '" + folder("cover") +
                                    "' have no file of the same name in --stego '" +
                                    folder("stego") + "': img1"));
  fs::create_directories(dir_ / "empty");
  const CommandResult empty = evaluate("--stego " + folder("empty"));
  EXPECT_THAT(empty.output, HasSubstr("--stego '" + folder("empty") + "' holds no image files"));
}

TEST_F(EvaluateCommand, SizesAndBitDepthsThatDifferAreRefused) {
  write_images(2);
  write_image(dir_ / "stego" / "img1.png", torch::zeros({kSide, kSide + 1, 3}, torch::kByte));
  const CommandResult sizes = evaluate("--stego " + folder("stego"));
  EXPECT_NE(sizes.status, 0);
  EXPECT_THAT(sizes.output, HasSubstr("is 17x16 but its cover"));
  write_image(dir_ / "stego" / "img1.png", cover_image(1));
  cv::imwrite((dir_ / "stego" / "img0.png").string(),
              cv::Mat(kSide, kSide, CV_16UC3, cv::Scalar(1000, 2000, 3000)));
  const CommandResult deep = evaluate("--stego " + folder("stego"));
  EXPECT_NE(deep.status, 0);
  EXPECT_THAT(deep.output, HasSubstr("img0.png' has 16-bit samples"));
}

TEST_F(EvaluateCommand, StegosIdenticalToTheirCoversAreUndetectable) {
  write_images(4);
  // stego = cover: every score of a stego equals its cover's, so both
  // detectors read exactly 0.5; 4 pairs split 2 train / 2 test.
  const CommandResult run =
      evaluate("--stego " + folder("cover") + " --steganalysis --epochs 1 --seed 5");
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_THAT(run.output, HasSubstr("2 train and 2 test cover/stego pairs"));
  const auto values = metrics();
  EXPECT_EQ(values.at("steganalysis_cnn_accuracy"), 0.5);
  EXPECT_EQ(values.at("steganalysis_cnn_auc"), 0.5);
  EXPECT_EQ(values.at("steganalysis_spa_auc"), 0.5);
  EXPECT_EQ(values.at("hide_psnr"), 100.0);  // identical images: the PSNR cap
}

}  // namespace
}  // namespace stegolab
