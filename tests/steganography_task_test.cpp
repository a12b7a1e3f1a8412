// The steganography task: its evaluation metrics against values computed by
// hand on small known images, its metric declarations, its cover/secret
// pairing (several secrets, pairs files, `stegolab data pairs`), and the
// host-side contract checks of its model calls.
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "image_io/image_io.hpp"
#include "metrics/metric_convention.hpp"
#include "support/build_locations.hpp"
#include "support/shell_command.hpp"
#include "stegolab/errors.hpp"
#include "stegolab/pixel_scale.hpp"

#include "../plugins/tasks/steganography/attack_channel.cpp"
#include "../plugins/tasks/steganography/training_curriculum.cpp"
#include "../plugins/tasks/steganography/image_pairs.cpp"
#include "../plugins/tasks/steganography/pairs_file.cpp"
#include "../plugins/tasks/steganography/metric_declarations.cpp"
#include "../plugins/tasks/steganography/secret_images.cpp"
#include "../plugins/tasks/steganography/steganography_evaluation.cpp"
#include "../plugins/tasks/steganography/steganography_gallery.cpp"
#include "../plugins/tasks/steganography/steganography_metrics.cpp"
#include "../plugins/tasks/steganography/steganography_task.cpp"
#include "../plugins/tasks/steganography/steganalysis/detection_scores.cpp"
#include "../plugins/tasks/steganography/steganalysis/sample_pair_analysis.cpp"
#include "../plugins/tasks/steganography/steganalysis/xunet.cpp"
#include "../plugins/tasks/steganography/steganalysis/steganalyser_training.cpp"
#include "../plugins/tasks/steganography/steganalysis/stego_image_sets.cpp"
#include "../plugins/tasks/steganography/steganalysis/steganalysis.cpp"
#include "../plugins/tasks/steganography/steganalysis/trial_steganalysis.cpp"

namespace stegolab {
namespace {

using steganography::epoch_pairs;
using steganography::fixed_pairs;
using steganography::ImagePairs;
using MetricAccumulator = steganography::SteganographyMetrics;

std::vector<int64_t> to_vector(const torch::Tensor& t) {
  const torch::Tensor c = t.to(torch::kLong).contiguous();
  return {c.data_ptr<int64_t>(), c.data_ptr<int64_t>() + c.numel()};
}

std::optional<MetricConvention> find_metric_convention(const std::string& name) {
  return stegolab::find_metric_convention(
      experiment_conventions(steganography::metric_declarations()), name);
}

// Images of 8-bit value `value` everywhere, in the model range [-1, 1].
torch::Tensor uniform(double value, int64_t n = 1, int64_t size = 16) {
  return torch::full({n, 3, size, size}, value / 127.5 - 1.0);
}

std::map<std::string, double> as_map(const MetricAccumulator& accumulator) {
  std::map<std::string, double> result;
  for (const auto& [name, value] : accumulator.means()) result[name] = value;
  return result;
}

TEST(PixelScale, MapsTheModelRangeToEightBitValues) {
  const torch::Tensor x = torch::tensor({-1.3, -1.0, 0.0, 1.0, 1.2, 0.5 / 127.5 - 1.0});
  const torch::Tensor exact = to_pixel_scale(x, false);
  const torch::Tensor rounded = to_pixel_scale(x, true);
  // (x + 1) * 127.5, clamped to [0, 255].
  EXPECT_FLOAT_EQ(exact[0].item<float>(), 0.0f);
  EXPECT_FLOAT_EQ(exact[1].item<float>(), 0.0f);
  EXPECT_FLOAT_EQ(exact[2].item<float>(), 127.5f);
  EXPECT_FLOAT_EQ(exact[3].item<float>(), 255.0f);
  EXPECT_FLOAT_EQ(exact[4].item<float>(), 255.0f);
  EXPECT_NEAR(exact[5].item<float>(), 0.5f, 1e-5);
  EXPECT_FLOAT_EQ(rounded[2].item<float>(), 128.0f);  // 127.5 rounds half to even
  EXPECT_FLOAT_EQ(rounded[5].item<float>(), 0.0f);    // 0.5 rounds half to even
  // The 8-bit round trip lands on k / 127.5 - 1 for integer k.
  const torch::Tensor q = quantize_to_8bit(torch::tensor({100.4 / 127.5 - 1.0}));
  EXPECT_NEAR(q.item<double>(), 100.0 / 127.5 - 1.0, 1e-6);
}

TEST(MetricAccumulator, HidingMetricsMatchHandComputedValues) {
  // Two covers of value 100; stego 0 is 110 everywhere, stego 1 equals its cover.
  const torch::Tensor cover = uniform(100, 2);
  const torch::Tensor stego = torch::cat({uniform(110), uniform(100)});
  const torch::Tensor secret = uniform(50, 2);
  MetricAccumulator accumulator;
  accumulator.add(cover, secret, stego, secret, true);
  const auto m = as_map(accumulator);
  // Image 0: MSE = 10^2 = 100 -> PSNR = 10 log10(255^2 / 100) = 28.130803608679106 dB;
  // image 1: identical -> capped at 100 dB; mean of the two = 64.06540180433956.
  EXPECT_NEAR(m.at("hide_psnr"), 64.06540180433956, 1e-4);
  // BT.601 weights sum to 1, so a uniform +10 on R, G, B is +10 in Y: same PSNR.
  EXPECT_NEAR(m.at("hide_psnr_y"), 64.06540180433956, 1e-3);
  // MAE and RMSE per image: 10 and 0 -> mean 5.
  EXPECT_NEAR(m.at("hide_mae"), 5.0, 1e-5);
  EXPECT_NEAR(m.at("hide_rmse"), 5.0, 1e-5);
  // SSIM of two constant images (no variance): the contrast/structure factor is
  // C2 / C2 = 1 and the luminance factor (2*100*110 + C1) / (100^2 + 110^2 + C1)
  // with C1 = (0.01 * 255)^2 = 6.5025 gives 0.9954764440915066; image 1 has SSIM 1.
  // Tolerance: fp32 variances E[x^2] - mu^2 at x ~ 110 cancel to ~1e-3, which
  // moves the contrast factor by ~1e-4 (C2 = 58.5); the mean differs from 1 by 2.3e-3.
  EXPECT_NEAR(m.at("hide_ssim"), (0.9954764440915066 + 1.0) / 2.0, 3e-4);
  // The recovery is the secret itself.
  EXPECT_NEAR(m.at("rec_psnr"), 100.0, 1e-9);
  EXPECT_NEAR(m.at("rec_ssim"), 1.0, 1e-6);
  EXPECT_EQ(m.at("rec_mae"), 0.0);
  EXPECT_EQ(m.at("ber"), 0.0);
  EXPECT_EQ(accumulator.images(), 2);
}

TEST(MetricAccumulator, BitErrorRateCountsDifferingBits) {
  // Secret all 0; the recovery differs in four known values:
  //   255 (8 bits set), 254.6 (rounds to 255: 8 bits), 1 (1 bit), 3 (2 bits) -> 19 bits
  // out of 3 * 16 * 16 pixels * 8 bits = 6144.
  const torch::Tensor secret = uniform(0);
  torch::Tensor recovered = secret.clone();
  recovered[0][0][0][0] = 255 / 127.5 - 1.0;
  recovered[0][1][5][5] = 254.6 / 127.5 - 1.0;
  recovered[0][2][3][3] = 1 / 127.5 - 1.0;
  recovered[0][0][7][7] = 3 / 127.5 - 1.0;
  MetricAccumulator accumulator;
  accumulator.add(secret, secret, secret, recovered, true);
  const auto m = as_map(accumulator);
  EXPECT_DOUBLE_EQ(m.at("ber"), 19.0 / 6144.0);
  // MSE = (255^2 + 255^2 + 1 + 9) / 768 = 130060 / 768 -> PSNR = 10 log10(65025 * 768 / 130060).
  EXPECT_NEAR(m.at("rec_psnr"), 10.0 * std::log10(65025.0 * 768.0 / 130060.0), 1e-4);
}

TEST(MetricAccumulator, AveragesOverImagesNotBatches) {
  // Batch A: one image with MAE 10; batch B: three identical images (MAE 0).
  // Mean over the 4 images is 2.5 (a mean of batch means would give 5).
  MetricAccumulator accumulator;
  accumulator.add(uniform(100), uniform(50), uniform(110), uniform(50), true);
  accumulator.add(uniform(100, 3), uniform(50, 3), uniform(100, 3), uniform(50, 3), true);
  const auto m = as_map(accumulator);
  EXPECT_NEAR(m.at("hide_mae"), 2.5, 1e-5);
  EXPECT_NEAR(m.at("hide_psnr"), (28.130803608679106 + 3 * 100.0) / 4.0, 1e-4);
  EXPECT_EQ(accumulator.images(), 4);
}

TEST(MetricAccumulator, FloatPathIsUnroundedAndSuffixed) {
  // Stego 100.25 against cover 100: rounded to 8 bits it equals the cover (MAE 0);
  // unrounded the error is 0.25 everywhere.
  const torch::Tensor cover = uniform(100);
  const torch::Tensor stego = uniform(100.25);
  MetricAccumulator accumulator;
  accumulator.add(cover, uniform(50), quantize_to_8bit(stego), uniform(50), true);
  accumulator.add(cover, uniform(50), stego, uniform(50), false, "_float");
  const auto m = as_map(accumulator);
  EXPECT_NEAR(m.at("hide_mae"), 0.0, 1e-5);
  EXPECT_NEAR(m.at("hide_mae_float"), 0.25, 1e-4);
  EXPECT_NEAR(m.at("hide_rmse_float"), 0.25, 1e-4);
  // 10 log10(255^2 / 0.0625) = 60.0864...
  EXPECT_NEAR(m.at("hide_psnr_float"), 10.0 * std::log10(65025.0 / 0.0625), 1e-3);
  EXPECT_EQ(m.count("ber_float"), 1u);
  EXPECT_EQ(accumulator.images("_float"), 1);
}

TEST(MetricAccumulator, NonFiniteRecoveryGivesNaNQualityAndWrongBits) {
  // A black secret: reading NaN as pixel value 0 would score it perfect.
  const torch::Tensor secret = uniform(0);
  torch::Tensor recovered = secret.clone();
  recovered.index_put_({0, 0, 0, 0}, NAN);  // one of the 3 * 16 * 16 values
  MetricAccumulator accumulator;
  accumulator.add(secret, secret, secret, recovered, true);
  const auto m = as_map(accumulator);
  EXPECT_TRUE(std::isnan(m.at("rec_psnr")));
  EXPECT_DOUBLE_EQ(m.at("ber"), 8.0 / (8.0 * static_cast<double>(secret.numel())));
}

TEST(MetricConventions, EveryProducedMetricIsDocumentedWithItsDirection) {
  MetricAccumulator accumulator;
  accumulator.add(uniform(100), uniform(50), uniform(110), uniform(60), true);
  accumulator.add(uniform(100), uniform(50), uniform(110), uniform(60), false, "_float");
  const auto names = accumulator.means();
  // 11 metrics on each path, and on the 8-bit path the literature's MATLAB Y-PSNR,
  // MS-SSIM and APD of hiding and recovery (6 more).
  EXPECT_EQ(names.size(), 28u);
  for (const auto& [name, value] : names) {
    const auto convention = find_metric_convention(name);
    ASSERT_TRUE(convention.has_value()) << name;
    EXPECT_FALSE(convention->description.empty()) << name;
  }
  EXPECT_EQ(find_metric_convention("hide_psnr")->better, "higher");
  EXPECT_EQ(find_metric_convention("rec_ssim")->better, "higher");
  EXPECT_EQ(find_metric_convention("ber")->better, "lower");
  EXPECT_EQ(find_metric_convention("rec_rmse")->better, "lower");
  EXPECT_EQ(find_metric_convention("loss/rec_mse")->name, "loss/<term>");
  EXPECT_FALSE(find_metric_convention("no_such_metric").has_value());
}

TEST(ImagePairs, FixedPairsShiftTheListByOne) {
  const ImagePairs p = fixed_pairs(torch::tensor({5, 9, 2, 7}, torch::kLong));
  EXPECT_EQ(to_vector(p.covers), (std::vector<int64_t>{5, 9, 2, 7}));
  EXPECT_EQ(to_vector(p.secrets[0]), (std::vector<int64_t>{9, 2, 7, 5}));
}

TEST(ImagePairs, EpochPairsAreFreshPerEpochNeverSelfAndCoverTheSplit) {
  const torch::Tensor indices = torch::arange(100, 112, torch::kLong);  // 12 images
  const ImagePairs e0 = epoch_pairs(indices, 11, 0, 12);
  const ImagePairs e0_again = epoch_pairs(indices, 11, 0, 12);
  const ImagePairs e1 = epoch_pairs(indices, 11, 1, 12);
  EXPECT_EQ(to_vector(e0.covers), to_vector(e0_again.covers));
  EXPECT_NE(to_vector(e0.covers), to_vector(e1.covers));
  for (const ImagePairs* p : {&e0, &e1}) {
    const auto covers = to_vector(p->covers);
    const auto secrets = to_vector(p->secrets[0]);
    EXPECT_EQ(std::set<int64_t>(covers.begin(), covers.end()).size(), 12u);
    for (std::size_t i = 0; i < covers.size(); ++i) {
      EXPECT_NE(covers[i], secrets[i]);
      EXPECT_GE(covers[i], 100);
      EXPECT_LT(covers[i], 112);
    }
  }
}

TEST(ImagePairs, EpochPairsExtendBeyondOnePass) {
  const torch::Tensor indices = torch::arange(0, 5, torch::kLong);
  const ImagePairs p = epoch_pairs(indices, 2, 0, 13);  // 2 full passes of 5 + 3
  ASSERT_EQ(p.size(), 13);
  const auto covers = to_vector(p.covers);
  // Each full pass is a permutation of 0..4.
  EXPECT_EQ(std::set<int64_t>(covers.begin(), covers.begin() + 5).size(), 5u);
  EXPECT_EQ(std::set<int64_t>(covers.begin() + 5, covers.begin() + 10).size(), 5u);
  const auto secrets = to_vector(p.secrets[0]);
  for (std::size_t i = 0; i < covers.size(); ++i) EXPECT_NE(covers[i], secrets[i]);
}

TEST(ImagePairs, SecretJIsTheListShiftedByJ) {
  const ImagePairs p = fixed_pairs(torch::tensor({5, 9, 2, 7}, torch::kLong), 3);
  ASSERT_EQ(p.secrets.size(), 3u);
  EXPECT_EQ(to_vector(p.covers), (std::vector<int64_t>{5, 9, 2, 7}));
  EXPECT_EQ(to_vector(p.secrets[0]), (std::vector<int64_t>{9, 2, 7, 5}));
  EXPECT_EQ(to_vector(p.secrets[1]), (std::vector<int64_t>{2, 7, 5, 9}));
  EXPECT_EQ(to_vector(p.secrets[2]), (std::vector<int64_t>{7, 5, 9, 2}));
}

TEST(ImagePairs, EpochSamplesOfSeveralSecretsAreDeterministicAndDistinct) {
  const torch::Tensor indices = torch::arange(0, 6, torch::kLong);
  const ImagePairs a = epoch_pairs(indices, 4, 1, 9, 2);
  const ImagePairs b = epoch_pairs(indices, 4, 1, 9, 2);
  ASSERT_EQ(a.size(), 9);
  ASSERT_EQ(a.secrets.size(), 2u);
  EXPECT_EQ(to_vector(a.secrets[1]), to_vector(b.secrets[1]));
  const auto covers = to_vector(a.covers);
  const auto first = to_vector(a.secrets[0]);
  const auto second = to_vector(a.secrets[1]);
  for (std::size_t i = 0; i < covers.size(); ++i) {
    EXPECT_EQ(std::set<int64_t>({covers[i], first[i], second[i]}).size(), 3u) << "sample " << i;
  }
  // The cover list is the one-secret pairing's: adding secrets keeps the covers.
  EXPECT_EQ(covers, to_vector(epoch_pairs(indices, 4, 1, 9).covers));
}

TEST(ImagePairs, TooFewImagesForTheSecretsIsAClearError) {
  try {
    fixed_pairs(torch::arange(3, torch::kLong), 3);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "hiding 3 secret(s) per cover needs at least 4 images, got 3");
  }
}

TEST(MetricAccumulator, SeveralSecretsGetTheirOwnMetricsAndTheirMean) {
  // Secret 1 comes back exactly, secret 2 off by 10 everywhere.
  const torch::Tensor cover = uniform(100, 2);
  const torch::Tensor secrets = torch::cat({uniform(50, 2), uniform(200, 2)}, 1);
  const torch::Tensor recovered = torch::cat({uniform(50, 2), uniform(210, 2)}, 1);
  MetricAccumulator accumulator;
  accumulator.add(cover, secrets, cover, recovered, true, "", 2);
  const auto m = as_map(accumulator);
  const double off_by_10 = 10.0 * std::log10(65025.0 / 100.0);
  EXPECT_NEAR(m.at("rec_psnr_1"), 100.0, 1e-6);
  EXPECT_NEAR(m.at("rec_psnr_2"), off_by_10, 1e-4);
  EXPECT_NEAR(m.at("rec_psnr"), (100.0 + off_by_10) / 2.0, 1e-4);
  EXPECT_NEAR(m.at("rec_mae_2"), 10.0, 1e-4);
  EXPECT_NEAR(m.at("rec_mae"), 5.0, 1e-4);
  EXPECT_DOUBLE_EQ(m.at("ber_1"), 0.0);
  EXPECT_GT(m.at("ber_2"), 0.0);
  EXPECT_DOUBLE_EQ(m.at("ber"), m.at("ber_2") / 2.0);
  EXPECT_EQ(accumulator.images(), 2);
  EXPECT_EQ(m.count("rec_psnr_3"), 0u);
}

TEST(MetricAccumulator, SeveralSecretsGetTheLiteratureMeasuresEachAndAttacksTheirMean) {
  const torch::Tensor cover = uniform(100, 2);
  const torch::Tensor secrets = torch::cat({uniform(50, 2), uniform(200, 2)}, 1);
  const torch::Tensor recovered = torch::cat({uniform(50, 2), uniform(210, 2)}, 1);
  MetricAccumulator accumulator;
  accumulator.add(cover, secrets, cover, recovered, true, "", 2);
  accumulator.add_recovery(secrets, recovered, "@jpeg(q=90)", 2);
  const auto m = as_map(accumulator);
  EXPECT_NEAR(m.at("rec_apd_1"), 0.0, 1e-6);
  EXPECT_NEAR(m.at("rec_apd_2"), 10.0, 1e-4);
  EXPECT_NEAR(m.at("rec_apd"), 5.0, 1e-4);
  EXPECT_NEAR(m.at("rec_ms_ssim_1"), 1.0, 1e-6);
  EXPECT_NEAR(m.at("rec_psnr_y_matlab_1"), 100.0, 1e-6);
  // Under an attack only the mean over the secrets.
  EXPECT_NEAR(m.at("rec_psnr@jpeg(q=90)"), m.at("rec_psnr"), 1e-9);
  EXPECT_NEAR(m.at("ber@jpeg(q=90)"), m.at("ber"), 1e-12);
  EXPECT_EQ(m.count("rec_psnr_1@jpeg(q=90)"), 0u);
  for (const auto& [name, value] : m) {
    EXPECT_TRUE(find_metric_convention(name).has_value()) << name;
  }
  EXPECT_FALSE(find_metric_convention("rec_psnr_1@jpeg(q=90)").has_value());
}

TEST(MetricAccumulator, OneSecretAddsNoPerSecretMetrics) {
  MetricAccumulator accumulator;
  accumulator.add(uniform(100), uniform(50), uniform(100), uniform(50), true);
  for (const auto& [name, value] : accumulator.means()) {
    EXPECT_EQ(name.find("_1"), std::string::npos) << name;
  }
}

TEST(MetricDeclarations, PerSecretMetricsAreDeclaredWithTheirMeasuresFacts) {
  const auto psnr_2 = find_metric_convention("rec_psnr_2");
  ASSERT_TRUE(psnr_2.has_value());
  EXPECT_EQ(psnr_2->better, "higher");
  const auto y_4 = find_metric_convention("rec_psnr_y_4_float");
  ASSERT_TRUE(y_4.has_value());
  EXPECT_EQ(find_metric_convention("ber_3")->better, "lower");
  EXPECT_FALSE(find_metric_convention("rec_psnr_5").has_value());
  EXPECT_FALSE(find_metric_convention("hide_psnr_1").has_value());
}

// ---- pairs files ----

// A source of six images named a.png .. f.png (pixels unused).
class NamedImages : public ImageSource {
 public:
  int64_t size() const override { return 6; }
  ImageExtent extent(int64_t) const override { return {8, 8}; }
  ImageExtent sample_extent(bool) const override { return {8, 8}; }
  std::string image_name(int64_t index) const override {
    return std::string(1, static_cast<char>('a' + index)) + ".png";
  }
  torch::Tensor load(const torch::Tensor& indices, torch::Device, bool) override {
    return torch::zeros({indices.size(0), 8, 8, 3}, torch::kByte);
  }
  void seed_augmentations(uint64_t) override {}
};

std::filesystem::path scratch_folder(const std::string& name) {
  const auto folder = std::filesystem::temp_directory_path() /
                      ("stegolab_pairs_test_" + name + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder);
  return folder;
}

std::string written_file(const std::string& name, const std::string& text) {
  const auto file = scratch_folder(name) / "pairs.txt";
  std::ofstream(file) << text;
  return file.string();
}

// The ParamError of reading and resolving `text` as a pairs file, "" if none.
std::string pairs_error(const std::string& text, int64_t secrets) {
  const std::string file = written_file("error", text);
  try {
    steganography::resolve_pairs(steganography::read_pairs_file("pairs.txt", file, secrets),
                                 NamedImages(), "pairs.txt", secrets);
  } catch (const ParamError& e) {
    return e.what();
  }
  return "";
}

TEST(PairsFile, ResolvesNamesToIndicesInFileOrder) {
  const std::string file = written_file("order", "# test pairs\nc.png a.png f.png\n\nb.png e.png d.png\n");
  const ImagePairs p = steganography::resolve_pairs(
      steganography::read_pairs_file("pairs.txt", file, 2), NamedImages(), "pairs.txt", 2);
  EXPECT_EQ(to_vector(p.covers), (std::vector<int64_t>{2, 1}));
  EXPECT_EQ(to_vector(p.secrets[0]), (std::vector<int64_t>{0, 4}));
  EXPECT_EQ(to_vector(p.secrets[1]), (std::vector<int64_t>{5, 3}));
}

TEST(PairsFile, UnknownNameWrongCountAndEmptyFileAreOneLineErrors) {
  EXPECT_EQ(pairs_error("a.png b.png\nc.png nope.png\n", 1),
            "pairs.txt:2: no image 'nope.png' in the data source");
  EXPECT_EQ(pairs_error("a.png b.png c.png\na.png b.png\n", 2),
            "pairs.txt:2: expected a cover and 2 secrets (task.params.secrets = 2), got 2 name(s)");
  EXPECT_EQ(pairs_error("# only a comment\n\n", 1), "pairs.txt: the pairs file has no samples");
}

TEST(PairsFile, EpochOrderIsDeterministicAndKeepsEachSampleWhole) {
  const std::string file = written_file("epochs", "a.png b.png\nc.png d.png\ne.png f.png\n");
  const ImagePairs fixed = steganography::resolve_pairs(
      steganography::read_pairs_file("pairs.txt", file, 1), NamedImages(), "pairs.txt", 1);
  const ImagePairs a = steganography::epoch_order(fixed, 7, 2, 5);
  const ImagePairs b = steganography::epoch_order(fixed, 7, 2, 5);
  ASSERT_EQ(a.size(), 5);
  EXPECT_EQ(to_vector(a.covers), to_vector(b.covers));
  const auto covers = to_vector(a.covers);
  const auto secrets = to_vector(a.secrets[0]);
  // Every sample is a line of the file: the secret is the name after its cover.
  for (std::size_t i = 0; i < covers.size(); ++i) EXPECT_EQ(secrets[i], covers[i] + 1);
}

TEST(PairsFile, DataPairsWritesTheSameFileForASeed) {
  const auto folder = scratch_folder("data_pairs");
  for (int i = 0; i < 5; ++i) {
    write_image(folder / ("img" + std::to_string(i) + ".png"),
                torch::full({8, 8, 3}, 40 * i, torch::kByte));
  }
  const std::string command = std::string(STEGOLAB_TEST_BINARY) + " data pairs --folder " +
                              folder.string() + " --secrets 2 --seed ";
  const CommandResult first = run_shell(command + "3");
  const CommandResult again = run_shell(command + "3");
  const CommandResult other = run_shell(command + "4");
  ASSERT_EQ(first.status, 0) << first.output;
  EXPECT_EQ(first.output, again.output);
  EXPECT_NE(first.output, other.output);
  // Five lines of three distinct names of the folder.
  std::istringstream lines(first.output);
  int count = 0;
  for (std::string line; std::getline(lines, line); ++count) {
    std::istringstream words(line);
    std::set<std::string> names;
    for (std::string name; words >> name;) {
      EXPECT_EQ(name.rfind("img", 0), 0u) << line;
      names.insert(name);
    }
    EXPECT_EQ(names.size(), 3u) << line;
  }
  EXPECT_EQ(count, 5);
}

// ---- the task's model calls: shapes checked at the plugin boundary ----

// A model whose embed returns an image of half the cover's size.
class HalfSizeModel : public StegoModel {
 public:
  HalfSizeModel() { weight_ = register_parameter("w", torch::ones({1})); }
  Embedding embed(const torch::Tensor& cover, const torch::Tensor&) override {
    return {torch::avg_pool2d(cover, 2) * weight_, {}};
  }
  torch::Tensor extract(const torch::Tensor& stego) override { return stego; }
  double flops_per_image(int64_t, int64_t) const override { return 0.0; }

 private:
  torch::Tensor weight_;
};

class SumLoss : public Loss {
 public:
  LossValue compute(const LossInput& input) override {
    return {input.tensors.at("recovered").sum(), {}};
  }
};

// The host's side, for a model and a loss section (no transform).
class FakeSections : public ComponentBuilder {
 public:
  bool has(const std::string& section) const override { return section != "transform"; }
  std::string plugin(const std::string& section) const override {
    return section == "model" ? "half_size" : "sum_loss";
  }
  std::shared_ptr<void> build_erased(const std::string& section, const std::string&,
                                     const BuildContext&) override {
    if (section == "model") return std::shared_ptr<StegoModel>(std::make_shared<HalfSizeModel>());
    return std::shared_ptr<Loss>(std::make_shared<SumLoss>());
  }
};

TEST(SteganographyTask, AWrongShapeFromTheModelNamesThePluginAndTheCall) {
  steganography::SteganographyTask task({});
  FakeSections sections;
  task.build(sections, BuildContext{});
  const TensorMap batch = {{"cover", torch::zeros({2, 3, 16, 16})},
                           {"secret", torch::zeros({2, 3, 16, 16})}};
  try {
    task.training_loss(batch, {});
    FAIL() << "expected a PluginError";
  } catch (const PluginError& error) {
    EXPECT_EQ(std::string(error.what()),
              "model 'half_size': embed returned stego [2, 3, 8, 8], expected [2, 3, 16, 16] "
              "(floating point)");
  }
}

TEST(SteganographyTask, RunsWithoutATransformSectionAndSamplesCoverSecretPairs) {
  steganography::SteganographyTask task({});
  FakeSections sections;
  task.build(sections, BuildContext{});  // the transform section is optional
  ASSERT_EQ(task.modules().size(), 1u);
  EXPECT_EQ(task.modules()[0].first, "model");
  const TensorMap samples = task.training_samples(torch::arange(10, torch::kLong), 3, 0, 7);
  ASSERT_EQ(samples.size(), 2u);
  EXPECT_EQ(samples.entries()[0].first, "cover");
  EXPECT_EQ(samples.entries()[1].first, "secret");
  EXPECT_EQ(samples.at("cover").numel(), 7);
  EXPECT_FALSE(torch::equal(samples.at("cover"), samples.at("secret")));
}

// A model that remembers the secrets it was given and extracts them as given:
// whatever reaches secret j's metrics and panels is what the task routed there.
class RememberingModel : public StegoModel {
 public:
  RememberingModel() { weight_ = register_parameter("w", torch::ones({1})); }
  Embedding embed(const torch::Tensor& cover, const torch::Tensor& secret) override {
    secret_ = secret;
    return {cover * weight_, {}};
  }
  torch::Tensor extract(const torch::Tensor&) override { return secret_ * weight_; }
  double flops_per_image(int64_t, int64_t) const override { return 0.0; }

 private:
  torch::Tensor weight_, secret_;
};

class RememberingSections : public FakeSections {
 public:
  std::shared_ptr<void> build_erased(const std::string& section, const std::string&,
                                     const BuildContext& context) override {
    secrets_seen[section] = context.secrets;
    if (section == "model") {
      return std::shared_ptr<StegoModel>(std::make_shared<RememberingModel>());
    }
    return std::shared_ptr<Loss>(std::make_shared<SumLoss>());
  }
  std::map<std::string, int64_t> secrets_seen;  // BuildContext::secrets by section
};

TEST(SteganographyTask, TwoSecretsReachTheModelMetricsLossAndGalleryEachInItsPlace) {
  steganography::TaskSettings settings;
  settings.secrets = 2;
  steganography::SteganographyTask task(settings);
  RememberingSections sections;
  task.build(sections, BuildContext{});
  EXPECT_EQ(sections.secrets_seen.at("model"), 2);
  EXPECT_EQ(sections.secrets_seen.at("loss"), 1);  // it sees the secrets along the batch
  const TensorMap samples = task.evaluation_samples(torch::arange(6, torch::kLong));
  ASSERT_EQ(samples.size(), 3u);
  EXPECT_EQ(samples.entries()[1].first, "secret_1");
  EXPECT_EQ(samples.entries()[2].first, "secret_2");

  const TensorMap batch = {{"cover", uniform(100, 2)},
                           {"secret_1", uniform(50, 2)},
                           {"secret_2", uniform(200, 2)}};
  const PrecisionScope scope = [](const std::function<void()>& fn) { fn(); };
  auto evaluation = task.start_evaluation();
  evaluation->add(batch, scope);
  std::map<std::string, double> m;
  for (const auto& [name, value] : evaluation->means()) m[name] = value;
  EXPECT_DOUBLE_EQ(m.at("rec_psnr_1"), 100.0);
  EXPECT_DOUBLE_EQ(m.at("rec_psnr_2"), 100.0);
  EXPECT_DOUBLE_EQ(m.at("payload_bpp"), 48.0);

  std::vector<std::string> names;
  for (const GalleryPanel& panel : task.gallery(batch, scope)) names.push_back(panel.name);
  EXPECT_EQ(names, (std::vector<std::string>{
                       "cover", "stego", "stego_residual_x10", "stego_residual_x20", "secret_1",
                       "recovered_1", "recovered_1_residual_x10", "secret_2", "recovered_2",
                       "recovered_2_residual_x10"}));
  const torch::Tensor first = task.gallery(batch, scope)[5].pixels;  // recovered_1
  EXPECT_TRUE(torch::equal(first, images_to_uint8(uniform(50, 2))));

  // SumLoss sums "recovered": both secrets of both samples, stacked along the batch.
  const double expected = (uniform(50, 2).sum() + uniform(200, 2).sum()).item<double>();
  EXPECT_NEAR(task.training_loss(batch, {}).total.item<double>(), expected, 1e-3);
}

}  // namespace
}  // namespace stegolab
