// The steganography task on images of any size: evaluation and the gallery
// pad a batch to the side multiple of the model's transform, run the model
// on it, and measure the original pixels only. Linked into
// steganography_task_test, which compiles the task's sources.
#include <cmath>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "../plugins/tasks/steganography/steganography_metrics.hpp"
#include "../plugins/tasks/steganography/steganography_task.hpp"
#include "stegolab/errors.hpp"
#include "stegolab/image_padding.hpp"
#include "stegolab/pixel_scale.hpp"

namespace stegolab {
namespace {

// A 2-level wavelet without filters: each level a polyphase split, which is
// all the task reads of a transform (its levels).
class PolyphaseWavelet : public Transform {
 public:
  PolyphaseWavelet() : Transform(2) {}
  bool is_integer() const override { return false; }
  std::string name() const override { return "polyphase"; }

 protected:
  torch::Tensor analyze(const torch::Tensor& images) const override {
    return torch::pixel_unshuffle(images, 2);
  }
  torch::Tensor synthesize(const torch::Tensor& bands) const override {
    return torch::pixel_shuffle(bands, 2);
  }
};

// A model that, like a 2-level wavelet model, takes only sides that are
// multiples of 4, and whose every output pixel also depends on its
// neighbour (the rolls): what the padding holds reaches the border pixels.
class MultipleOfFourModel : public StegoModel {
 public:
  MultipleOfFourModel() { weight_ = register_parameter("w", torch::ones({1})); }
  static torch::Tensor stego_of(const torch::Tensor& cover, const torch::Tensor& secret) {
    return cover + 0.1 * torch::roll(secret, 1, 3);
  }
  static torch::Tensor recovery_of(const torch::Tensor& stego) {
    return 0.9 * torch::roll(stego, -1, 3);
  }
  Embedding embed(const torch::Tensor& cover, const torch::Tensor& secret) override {
    check(cover);
    return {stego_of(cover, secret) * weight_, {}};
  }
  torch::Tensor extract(const torch::Tensor& stego) override {
    check(stego);
    return recovery_of(stego) * weight_;
  }
  double flops_per_image(int64_t, int64_t) const override { return 0.0; }
  std::vector<int64_t> last_shape;

 private:
  void check(const torch::Tensor& images) {
    last_shape = images.sizes().vec();
    if (images.size(2) % 4 != 0 || images.size(3) % 4 != 0) {
      throw PluginError("model 'multiple_of_four': sides must be multiples of 4, got " +
                        c10::str(images.sizes()));
    }
  }
  torch::Tensor weight_;
};

class WaveletSections : public ComponentBuilder {
 public:
  bool has(const std::string& section) const override { return section != "loss"; }
  std::string plugin(const std::string& section) const override { return section; }
  std::shared_ptr<void> build_erased(const std::string& section, const std::string&,
                                     const BuildContext&) override {
    if (section == "transform") return std::shared_ptr<Transform>(transform);
    return std::shared_ptr<StegoModel>(model);
  }
  std::shared_ptr<PolyphaseWavelet> transform = std::make_shared<PolyphaseWavelet>();
  std::shared_ptr<MultipleOfFourModel> model = std::make_shared<MultipleOfFourModel>();
};

const PrecisionScope kPlain = [](const std::function<void()>& fn) { fn(); };

// Random 8-bit images in [-1, 1].
torch::Tensor random_images(int64_t n, int64_t height, int64_t width, uint64_t seed) {
  torch::manual_seed(seed);
  return torch::randint(0, 256, {n, 3, height, width}).to(torch::kFloat) / kPixelHalfRange - 1.0;
}

std::map<std::string, double> means_by_name(
    const std::vector<std::pair<std::string, double>>& values) {
  return {values.begin(), values.end()};
}

// The metrics of `cover` and `secret` by hand: pad by reflection to
// multiples of 4, the model's formulas, 8 bits, crop to `height` x `width`.
std::map<std::string, double> by_hand(const torch::Tensor& cover, const torch::Tensor& secret,
                                      int64_t height, int64_t width) {
  const torch::Tensor stego = quantize_to_8bit(MultipleOfFourModel::stego_of(
      pad_to_multiple(cover, 4, ImagePadding::reflect),
      pad_to_multiple(secret, 4, ImagePadding::reflect)));
  const torch::Tensor recovered = MultipleOfFourModel::recovery_of(stego);
  steganography::SteganographyMetrics metrics;
  metrics.add(crop_to(cover, height, width), crop_to(secret, height, width),
              crop_to(stego, height, width), crop_to(recovered, height, width), true);
  return means_by_name(metrics.means());
}

TEST(WholeImageSteganography, MetricsAreThoseOfTheUnpaddedPixels) {
  steganography::SteganographyTask task({});
  WaveletSections sections;
  task.build(sections, BuildContext{});
  EXPECT_EQ(task.side_multiple(), 4);  // 2^levels
  const torch::Tensor cover = random_images(2, 18, 26, 1);
  const torch::Tensor secret = random_images(2, 18, 26, 2);
  auto evaluation = task.start_evaluation();
  evaluation->add({{"cover", cover}, {"secret", secret}}, kPlain);
  // The model saw 18x26 padded to 20x28.
  EXPECT_EQ(sections.model->last_shape, (std::vector<int64_t>{2, 3, 20, 28}));
  const std::map<std::string, double> measured = means_by_name(evaluation->means());
  const std::map<std::string, double> expected = by_hand(cover, secret, 18, 26);
  for (const auto& [name, value] : expected) {
    // A measure undefined at this size (NaN) must be undefined in both.
    if (std::isnan(value)) {
      EXPECT_TRUE(std::isnan(measured.at(name))) << name;
    } else {
      EXPECT_NEAR(measured.at(name), value, 1e-9) << name;
    }
  }
  // Measuring the padded images instead would give other numbers: the
  // comparison above can tell the two apart.
  const std::map<std::string, double> padded =
      by_hand(pad_to_multiple(cover, 4, ImagePadding::reflect),
              pad_to_multiple(secret, 4, ImagePadding::reflect), 20, 28);
  EXPECT_NE(measured.at("hide_psnr"), padded.at("hide_psnr"));
  EXPECT_NE(measured.at("rec_psnr"), padded.at("rec_psnr"));
}

TEST(WholeImageSteganography, OddSizesRunThroughATwoLevelWaveletModel) {
  steganography::SteganographyTask task({});
  WaveletSections sections;
  task.build(sections, BuildContext{});
  const torch::Tensor cover = random_images(1, 17, 13, 3);
  const torch::Tensor secret = random_images(1, 17, 13, 4);
  // Unpadded, the model refuses them.
  EXPECT_THROW(task.embed(cover, secret), PluginError);
  auto evaluation = task.start_evaluation();
  evaluation->add({{"cover", cover}, {"secret", secret}}, kPlain);
  EXPECT_EQ(sections.model->last_shape, (std::vector<int64_t>{1, 3, 20, 16}));
  const std::map<std::string, double> measured = means_by_name(evaluation->means());
  const std::map<std::string, double> expected = by_hand(cover, secret, 17, 13);
  EXPECT_NEAR(measured.at("hide_psnr"), expected.at("hide_psnr"), 1e-9);
  EXPECT_NEAR(measured.at("rec_psnr"), expected.at("rec_psnr"), 1e-9);
  // The gallery shows the original pixels too.
  for (const GalleryPanel& panel : task.gallery({{"cover", cover}, {"secret", secret}}, kPlain)) {
    EXPECT_EQ(panel.pixels.sizes(), (std::vector<int64_t>{1, 17, 13, 3})) << panel.name;
  }
}

TEST(ImagePadding, ReflectsWithoutRepeatingTheEdgeAndCropsBack) {
  // One row 0 1 2, padded to 8 columns: 0 1 2 | 1 0 1 2 1 (the reflection
  // repeated where it is wider than the row).
  const torch::Tensor row = torch::arange(3, torch::kFloat).view({1, 1, 1, 3});
  const torch::Tensor padded = pad_to_multiple(row, 8, ImagePadding::reflect);
  EXPECT_EQ(padded.size(2), 8);  // one row: replicated to 8
  EXPECT_EQ(padded.size(3), 8);
  for (int64_t y = 0; y < 8; ++y) {
    EXPECT_TRUE(torch::equal(padded[0][0][y],
                             torch::tensor({0, 1, 2, 1, 0, 1, 2, 1}, torch::kFloat)))
        << "row " << y;
  }
  EXPECT_TRUE(torch::equal(crop_to(padded, 1, 3), row));
  EXPECT_TRUE(torch::equal(
      pad_to_multiple(row, 4, ImagePadding::replicate).view({-1}).slice(0, 0, 4),
      torch::tensor({0, 1, 2, 2}, torch::kFloat)));
  EXPECT_EQ(pad_to_multiple(row, 1, ImagePadding::reflect).data_ptr(), row.data_ptr());
  EXPECT_THROW(crop_to(row, 2, 3), Error);
}

}  // namespace
}  // namespace stegolab
