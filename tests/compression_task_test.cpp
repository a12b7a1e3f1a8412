// The compression task with tiny learned codecs: decoding reproduces the
// evaluation-mode reconstruction bit for bit on one thread, streams cross
// thread counts, the stream format refuses foreign, truncated and other
// models' files, and the rate-distortion loss matches a hand computation.
#include <cmath>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <ATen/Parallel.h>
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "stegolab/errors.hpp"
#include "stegolab/model.hpp"
#include "stegolab/parameter_group.hpp"

#include "../plugins/losses/rate_distortion/rate_distortion_loss.cpp"
#include "../plugins/models/learned_codecs/codec_transforms.cpp"
#include "../plugins/models/learned_codecs/factorized_prior.cpp"
#include "../plugins/models/learned_codecs/gdn.cpp"
#include "../plugins/models/learned_codecs/scale_hyperprior.cpp"
#include "../plugins/models/learned_codecs/subpixel_transposed_conv.cpp"
#include "../plugins/tasks/compression/codec_stream.cpp"
#include "../plugins/tasks/compression/compression_evaluation.cpp"
#include "../plugins/tasks/compression/compression_metrics.cpp"
#include "../plugins/tasks/compression/compression_task.cpp"
#include "../plugins/tasks/compression/image_codec.cpp"
#include "../plugins/tasks/compression/jpeg_anchor.cpp"

namespace stegolab {
namespace {

using compression::ImageCodec;
using learned_codecs::FactorizedPrior;
using learned_codecs::ScaleHyperprior;
using learned_codecs::TransformWidths;

// Tiny widths: the tests run on two shared cores.
constexpr TransformWidths kTiny{3, 8, 12};

// Sets the intra-op thread count for a scope.
class ThreadCount {
 public:
  explicit ThreadCount(int threads) : previous_(at::get_num_threads()) {
    at::set_num_threads(threads);
  }
  ~ThreadCount() { at::set_num_threads(previous_); }

 private:
  int previous_;
};

// A trained-looking model: random weights shrink the latents to a few
// symbols; scaling the input keeps them varied.
torch::Tensor test_image(int64_t height, int64_t width, uint64_t seed) {
  torch::manual_seed(seed);
  return torch::rand({1, 3, height, width}) * 2 - 1;
}

std::shared_ptr<CodecModel> tiny_codec(bool hyperprior, uint64_t seed) {
  torch::manual_seed(seed);
  std::shared_ptr<CodecModel> model;
  if (hyperprior) {
    model = std::make_shared<ScaleHyperprior>(kTiny, 1e-3);
  } else {
    model = std::make_shared<FactorizedPrior>(kTiny, 1e-3);
  }
  model->eval();
  return model;
}

void expect_decoding_is_the_evaluation_reconstruction(bool hyperprior, int64_t size) {
  ThreadCount one(1);
  auto model = tiny_codec(hyperprior, 5);
  const ImageCodec codec(*model, "codec");
  const torch::Tensor image = test_image(size, size, 6);
  torch::NoGradGuard no_grad;
  const torch::Tensor decoded = codec.decompress(codec.compress(image), "test stream");
  const torch::Tensor reference = model->forward_codec(image).reconstruction;
  EXPECT_TRUE(torch::equal(decoded, reference))
      << "max difference " << (decoded - reference).abs().max().item<double>();
}

TEST(LearnedCodecs, FactorizedPriorDecodesTheEvaluationReconstructionBitForBit) {
  expect_decoding_is_the_evaluation_reconstruction(false, 32);
}

TEST(LearnedCodecs, ScaleHyperpriorDecodesTheEvaluationReconstructionBitForBit) {
  expect_decoding_is_the_evaluation_reconstruction(true, 64);
}

TEST(LearnedCodecs, AStreamEncodedWithTwoThreadsDecodesWithOne) {
  for (const bool hyperprior : {false, true}) {
    auto model = tiny_codec(hyperprior, 7);
    const ImageCodec codec(*model, "codec");
    const torch::Tensor image = test_image(64, 64, 8);
    torch::NoGradGuard no_grad;
    std::vector<uint8_t> stream;
    torch::Tensor encoder_side;
    {
      ThreadCount two(2);
      stream = codec.compress(image);
      encoder_side = model->forward_codec(image).reconstruction;
    }
    ThreadCount one(1);
    const torch::Tensor decoded = codec.decompress(stream, "test stream");
    // Same symbols; only the synthesis' float rounding may differ between
    // thread counts, far below one symbol's effect.
    EXPECT_TRUE(torch::allclose(decoded, encoder_side, 0.0, 1e-4)) << "hyperprior " << hyperprior;
  }
}

TEST(LearnedCodecs, AnyImageSizeIsPaddedAndCroppedBack) {
  auto model = tiny_codec(true, 9);
  const ImageCodec codec(*model, "codec");
  const torch::Tensor image = test_image(40, 24, 10);
  torch::NoGradGuard no_grad;
  const torch::Tensor decoded = codec.decompress(codec.compress(image), "test stream");
  EXPECT_EQ(decoded.sizes(), image.sizes());
}

TEST(CodecStream, RefusesForeignTruncatedAndOtherModelsStreams) {
  auto model = tiny_codec(false, 11);
  const ImageCodec codec(*model, "factorized_prior");
  torch::NoGradGuard no_grad;
  std::vector<uint8_t> stream = codec.compress(test_image(32, 32, 12));
  const auto message = [&](const std::vector<uint8_t>& bytes, const ImageCodec& with) {
    try {
      with.decompress(bytes, "x.slc");
    } catch (const Error& error) {
      return std::string(error.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message(std::vector<uint8_t>(stream.begin(), stream.end() - 3), codec)
                .find("x.slc: truncated"),
            std::string::npos);
  std::vector<uint8_t> foreign = {'P', 'N', 'G', 1, 2, 3};
  EXPECT_NE(message(foreign, codec).find("not a stegolab compressed image"), std::string::npos);
  auto other = tiny_codec(false, 99);
  const ImageCodec other_codec(*other, "factorized_prior");
  EXPECT_NE(message(stream, other_codec).find("another model"), std::string::npos);
}

TEST(RateDistortionLoss, MatchesAHandComputation) {
  rate_distortion::RateDistortionLoss loss(0.01);
  LossInput input;
  // Reconstruction off by 0.2 in [-1, 1]: 0.1 on [0, 1], MSE 0.01.
  const torch::Tensor image = torch::zeros({2, 3, 4, 4});
  input.tensors = {{"image", image},
                   {"reconstruction", image + 0.2},
                   {"likelihoods.y", torch::full({2, 5, 1, 1}, 0.5)},
                   {"likelihoods.z", torch::full({2, 1, 1, 1}, 0.25)},
                   {"aux_loss", torch::tensor(3.0)}};
  const LossValue value = loss.compute(input);
  // Bits: 10 * 1 + 2 * 2 = 14 over 2 * 16 pixels = 0.4375 bpp.
  EXPECT_NEAR(value.total.item<double>(), 0.01 * 65025.0 * 0.01 + 0.4375 + 3.0, 1e-4);
}

TEST(RateDistortionLoss, MsSsimVariantMatchesAHandComputation) {
  rate_distortion::RateDistortionLoss loss(8.0, rate_distortion::Distortion::ms_ssim);
  LossInput input;
  // 16x16 holds one scale: MS-SSIM is SSIM. Uniform images 0.5 and 0.75 on
  // [0, 1] (0 and 0.5 on [-1, 1], exact in binary, so the variances are
  // exactly 0) make contrast-structure C2 / C2 = 1 and SSIM the luminance
  // term (2 * 0.5 * 0.75 + C1) / (0.5^2 + 0.75^2 + C1), C1 = 0.01^2: 0.7501 / 0.8126.
  const torch::Tensor image = torch::zeros({2, 3, 16, 16});
  input.tensors = {{"image", image},
                   {"reconstruction", image + 0.5},
                   {"likelihoods.y", torch::full({2, 5, 1, 1}, 0.5)},
                   {"likelihoods.z", torch::full({2, 1, 1, 1}, 0.25)},
                   {"aux_loss", torch::tensor(3.0)}};
  const LossValue value = loss.compute(input);
  // Bits: 14 over 2 * 256 pixels.
  const double expected = 8.0 * (1.0 - 0.7501 / 0.8126) + 14.0 / 512.0 + 3.0;
  // The fp32 window's weights do not sum to exactly 1, which leaves variances
  // of about 1e-7 against C2 = 9e-4: SSIM holds to about 5e-4, times lambda 8.
  EXPECT_NEAR(value.total.item<double>(), expected, 8.0 * 5e-4);
  // mse's loss would be 8 * 65025 * 0.0625 = 32512: the ms_ssim variant is another objective.
  EXPECT_LT(value.total.item<double>(), 4.0);
  input.tensors.set("reconstruction", image);
  EXPECT_NEAR(loss.compute(input).total.item<double>(), 14.0 / 512.0 + 3.0, 1e-5);
  // The gradient reaches the reconstruction through MS-SSIM.
  const torch::Tensor reconstruction = (image + 0.5).requires_grad_(true);
  input.tensors.set("reconstruction", reconstruction);
  loss.compute(input).total.backward();
  EXPECT_GT(reconstruction.grad().abs().sum().item<double>(), 0.0);
  input.tensors.set("image", torch::zeros({1, 3, 8, 8}));
  input.tensors.set("reconstruction", torch::zeros({1, 3, 8, 8}));
  EXPECT_THROW(loss.compute(input), PluginError);
}

// A model of the other kind, to check that the task refuses it by name.
class NotACodec : public StegoModel {
 public:
  Embedding embed(const torch::Tensor& cover, const torch::Tensor&) override { return {cover, {}}; }
  torch::Tensor extract(const torch::Tensor& stego) override { return stego; }
  double flops_per_image(int64_t, int64_t) const override { return 0.0; }
};

class FixedBuilder : public ComponentBuilder {
 public:
  explicit FixedBuilder(std::shared_ptr<void> model) : model_(std::move(model)) {}
  bool has(const std::string& section) const override { return section == "model" || section == "loss"; }
  std::string plugin(const std::string& section) const override {
    return section == "model" ? "tiny_codec" : "rate_distortion";
  }
  std::shared_ptr<void> build_erased(const std::string& section, const std::string&,
                                     const BuildContext&) override {
    if (section == "model") return model_;
    return std::static_pointer_cast<void>(
        std::shared_ptr<Loss>(std::make_shared<rate_distortion::RateDistortionLoss>(0.01)));
  }

 private:
  std::shared_ptr<void> model_;
};

TEST(CompressionTask, RefusesAModelThatIsNotACodec) {
  FixedBuilder builder(
      std::static_pointer_cast<void>(std::shared_ptr<StegoModel>(std::make_shared<NotACodec>())));
  compression::CompressionTask task;
  try {
    task.build(builder, BuildContext{});
    FAIL() << "built a task around a StegoModel";
  } catch (const PluginError& error) {
    EXPECT_NE(std::string(error.what()).find("model 'tiny_codec' is not a codec model"),
              std::string::npos);
  }
}

TEST(CompressionTask, TrainsAndEvaluatesOnRealBytes) {
  FixedBuilder builder(std::static_pointer_cast<void>(tiny_codec(false, 13)));
  compression::CompressionTask task;
  task.build(builder, BuildContext{});
  std::vector<torch::Tensor> rest;
  const auto groups = split_parameter_groups({task.modules()[0].second}, rest);
  ASSERT_EQ(groups.size(), 1u);
  torch::optim::Adam optimizer(rest, torch::optim::AdamOptions(1e-3));
  torch::optim::Adam aux_optimizer(groups[0].parameters, torch::optim::AdamOptions(1e-2));
  const torch::Tensor images = torch::cat({test_image(32, 32, 14), test_image(32, 32, 15)});
  task.modules()[0].second->train();
  double first = 0.0;
  double last = 0.0;
  for (int step = 0; step < 25; ++step) {
    optimizer.zero_grad();
    aux_optimizer.zero_grad();
    const LossValue value = task.training_loss({{"image", images}}, TrainingProgress{});
    value.total.backward();
    optimizer.step();
    aux_optimizer.step();
    (step == 0 ? first : last) = value.total.item<double>();
  }
  EXPECT_LT(last, first);
  task.modules()[0].second->eval();
  auto evaluation = task.start_evaluation();
  evaluation->add({{"image", images}}, [](const std::function<void()>& fn) { fn(); });
  std::map<std::string, double> means;
  for (const auto& [name, value] : evaluation->means()) means[name] = value;
  EXPECT_EQ(evaluation->samples(), 2);
  EXPECT_GT(means.at("psnr"), 5.0);
  EXPECT_GT(means.at("bpp"), means.at("bpp_payload"));
  EXPECT_GT(means.at("bpp_estimated"), 0.0);
  EXPECT_TRUE(std::isfinite(means.at("bpp_gap_percent")));
  // 32x32 holds two MS-SSIM scales; the clock saw both directions.
  EXPECT_GT(means.at("ms_ssim"), 0.0);
  EXPECT_LE(means.at("ms_ssim"), 1.0);
  EXPECT_GT(means.at("encode_ms"), 0.0);
  EXPECT_GT(means.at("decode_ms"), 0.0);
  EXPECT_EQ(means.count("bpp@jpeg(q=50)"), 0u);  // no anchor named
}

TEST(CompressionTask, MeasuresTheJpegAnchorOnTheSameImages) {
  FixedBuilder builder(std::static_pointer_cast<void>(tiny_codec(false, 13)));
  compression::CompressionTask task({20, 90});
  task.build(builder, BuildContext{});
  task.modules()[0].second->eval();
  // A smooth image, as JPEG is meant for: a diagonal ramp.
  const torch::Tensor ramp = torch::linspace(-0.8, 0.8, 48);
  const torch::Tensor image = (ramp.view({1, 1, 1, 48}) * 0.5 + ramp.view({1, 1, 48, 1}) * 0.5)
                                  .expand({1, 3, 48, 48})
                                  .contiguous();
  auto evaluation = task.start_evaluation();
  evaluation->add({{"image", image}}, [](const std::function<void()>& fn) { fn(); });
  std::map<std::string, double> means;
  for (const auto& [name, value] : evaluation->means()) means[name] = value;
  // A higher quality costs more bytes and decodes closer to the original.
  EXPECT_GT(means.at("bpp@jpeg(q=90)"), means.at("bpp@jpeg(q=20)"));
  EXPECT_GT(means.at("psnr@jpeg(q=90)"), means.at("psnr@jpeg(q=20)"));
  EXPECT_GT(means.at("psnr@jpeg(q=90)"), 30.0);
  EXPECT_GT(means.at("ms_ssim@jpeg(q=90)"), means.at("ms_ssim@jpeg(q=20)"));
  // The JPEG file's rate: at least its headers (a few hundred bytes) over 48 * 48 pixels.
  EXPECT_GT(means.at("bpp@jpeg(q=20)"), 8.0 * 300 / (48.0 * 48.0));
}

}  // namespace
}  // namespace stegolab
