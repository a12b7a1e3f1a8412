// Checkpoints (save/load round trip, atomic replace, clear errors), image
// files, and the `stegolab embed` / `stegolab extract` commands end to end on
// a checkpoint of an untrained tiny model.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <torch/torch.h>
#if defined(STEGOLAB_WITH_OPENCV)
#include <opencv2/imgcodecs.hpp>
#endif

#include "support/build_locations.hpp"
#include "checkpoint/checkpoint.hpp"
#include "checkpoint/checkpoint_slot.hpp"
#include "image_io/image_io.hpp"
#include "plugin_host/plugin_registry.hpp"
#include "stegolab/image_quality.hpp"
#include "stegolab/model.hpp"
#include "stegolab/transform.hpp"
#include "support/file_size_limit.hpp"

namespace {

namespace fs = std::filesystem;

const stegolab::PluginRegistry& registry() {
  static stegolab::PluginRegistry instance = [] {
    stegolab::PluginRegistry r;
    r.discover({STEGOLAB_TEST_PLUGIN_DIR});
    return r;
  }();
  return instance;
}

// A steganography model as the task's one module, named as it saves it.
std::vector<stegolab::NamedModule> modules_of(const std::shared_ptr<stegolab::StegoModel>& model) {
  return {{"model", model}};
}

// The model of a checkpoint's restored steganography task.
std::shared_ptr<stegolab::StegoModel> model_of(const stegolab::LoadedCheckpoint& loaded) {
  auto model = std::dynamic_pointer_cast<stegolab::StegoModel>(loaded.task->modules().at(0).second);
  EXPECT_TRUE(model != nullptr);
  return model;
}

const nlohmann::json kTransformParams = nlohmann::json::object();
const nlohmann::json kModelParams{{"blocks", 2}, {"hidden", 8}};
constexpr int64_t kImageSize = 32;

class CheckpointTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("stegolab_checkpoint_test_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // A tiny star_inn on haar_dwt, its ActNorm initialised by one training-mode
  // batch and its weights moved off their initial values.
  std::shared_ptr<stegolab::StegoModel> make_model(
      const nlohmann::json& model_params = kModelParams) {
    stegolab::BuildContext context;
    context.image_size = kImageSize;
    context.transform =
        registry().build<stegolab::Transform>("haar_dwt", kTransformParams, context);
    auto model = registry().build<stegolab::StegoModel>("star_inn", model_params, context);
    torch::manual_seed(7);
    model->train();
    const auto batch = torch::rand({2, 3, kImageSize, kImageSize}) * 2 - 1;
    model->embed(batch, batch.flip(2));
    torch::NoGradGuard no_grad;
    for (auto& p : model->parameters()) p.add_(0.02 * torch::randn_like(p));
    return model;
  }

  stegolab::CheckpointManifest manifest(const nlohmann::json& model_params = kModelParams) const {
    stegolab::CheckpointManifest m;
    m.components = {
        {"transform",
         stegolab::component_entry(
             "haar_dwt", registry().find("transform", "haar_dwt").info.version, kTransformParams)},
        {"model",
         stegolab::component_entry("star_inn", registry().find("model", "star_inn").info.version,
                                   model_params)}};
    m.image_size = kImageSize;
    m.epoch = 3;
    m.metrics = {{"rec_psnr", 12.5}};
    return m;
  }

  fs::path dir_;
};

TEST_F(CheckpointTest, SavedThenLoadedModelGivesIdenticalOutputs) {
  auto model = make_model();
  const fs::path checkpoint = dir_ / "best";
  stegolab::save_checkpoint(checkpoint, modules_of(model), manifest());
  ASSERT_TRUE(fs::exists(checkpoint / "model.pt"));
  EXPECT_FALSE(fs::exists(checkpoint / "strategy.pt"));

  std::ifstream in(checkpoint / "checkpoint.json");
  const auto json = nlohmann::json::parse(in);
  EXPECT_EQ(json.at("format"), 1);
  EXPECT_EQ(json.at("image_size"), kImageSize);
  EXPECT_EQ(json.at("epoch"), 3);
  EXPECT_EQ(json.at("components").at("model").at("params"), kModelParams);
  EXPECT_EQ(json.at("resize"), "resize");

  const auto loaded = stegolab::load_checkpoint(checkpoint, registry(), torch::kCPU);
  EXPECT_EQ(loaded.manifest.epoch, 3);
  EXPECT_DOUBLE_EQ(loaded.manifest.metrics.at("rec_psnr").get<double>(), 12.5);
  model->eval();
  const auto restored = model_of(loaded);
  EXPECT_FALSE(restored->is_training());  // restored for use
  torch::NoGradGuard no_grad;
  const auto cover = torch::rand({1, 3, kImageSize, kImageSize}) * 2 - 1;
  const auto secret = torch::rand({1, 3, kImageSize, kImageSize}) * 2 - 1;
  const auto expected = model->embed(cover, secret).stego;
  EXPECT_TRUE(torch::equal(restored->embed(cover, secret).stego, expected));
  EXPECT_TRUE(torch::equal(restored->extract(expected), model->extract(expected)));
  // A model that was not loaded differs, so the equalities above can fail.
  auto other = make_model();
  {
    torch::NoGradGuard guard;
    for (auto& p : other->parameters()) p.add_(0.05);
  }
  other->eval();
  EXPECT_FALSE(torch::equal(other->embed(cover, secret).stego, expected));
}

// Names in `dir`, sorted.
std::vector<std::string> entries_of(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename());
  std::sort(names.begin(), names.end());
  return names;
}

TEST_F(CheckpointTest, SavingAgainReplacesTheCheckpointAndLeavesNoTemporaries) {
  auto model = make_model();
  const fs::path checkpoint = dir_ / "last";
  stegolab::save_checkpoint(checkpoint, modules_of(model), manifest());
  auto second = manifest();
  second.epoch = 4;
  stegolab::save_checkpoint(checkpoint, modules_of(model), second);
  EXPECT_EQ(stegolab::load_checkpoint(checkpoint, registry(), torch::kCPU).manifest.epoch, 4);
  EXPECT_EQ(entries_of(dir_), std::vector<std::string>{"last"});
}

TEST_F(CheckpointTest, AFailedWriteIsOneLineAndKeepsThePreviousCheckpoint) {
  auto model = make_model();
  const fs::path checkpoint = dir_ / "last";
  stegolab::save_checkpoint(checkpoint, modules_of(model), manifest());
  auto next = manifest();
  next.epoch = 4;
  std::string message;
  {
    // As a full disk would: no file may grow past 1 KiB while saving.
    const FileSizeLimit limit(1024);
    try {
      stegolab::save_checkpoint(checkpoint, modules_of(model), next);
    } catch (const stegolab::CheckpointError& error) {
      message = error.what();
    }
  }
  EXPECT_EQ(message, "cannot save checkpoint '" + checkpoint.string() +
                         "': cannot write model.pt: " + std::strerror(EFBIG));
  EXPECT_EQ(entries_of(dir_), std::vector<std::string>{"last"});  // no temporaries
  EXPECT_EQ(stegolab::load_checkpoint(checkpoint, registry(), torch::kCPU).manifest.epoch, 3);
}

// What a process killed in the middle of a replacement leaves, as versions
// before the atomic exchange left it (and its fallback on filesystems
// without one still can): the old checkpoint renamed aside, the complete
// new one not yet in place, maybe a half-written third.
TEST_F(CheckpointTest, AnInterruptedReplacementIsSettledOnTheNewestCompleteCheckpoint) {
  auto model = make_model();
  const fs::path last = dir_ / "last";
  const auto leave_interrupted_replacement = [&] {
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    stegolab::save_checkpoint(dir_ / ".last.old-1", modules_of(model), manifest());  // epoch 3
    auto newer = manifest();
    newer.epoch = 4;
    stegolab::save_checkpoint(dir_ / ".last.tmp-1", modules_of(model), newer);
    fs::create_directories(dir_ / ".last.tmp-2");
    std::ofstream(dir_ / ".last.tmp-2" / "model.pt") << "half";
  };
  leave_interrupted_replacement();
  auto settled = stegolab::settle_checkpoint(last, 4);
  EXPECT_TRUE(settled.usable);
  EXPECT_EQ(settled.epoch, 4);
  EXPECT_EQ(settled.recovered_from, ".last.tmp-1");
  EXPECT_EQ(entries_of(dir_), std::vector<std::string>{"last"});
  EXPECT_EQ(stegolab::read_checkpoint_manifest(last).epoch, 4);

  // Results recorded only up to epoch 3: the newer one would leave a hole.
  leave_interrupted_replacement();
  settled = stegolab::settle_checkpoint(last, 3);
  EXPECT_EQ(settled.epoch, 3);
  EXPECT_EQ(settled.recovered_from, ".last.old-1");
  EXPECT_EQ(entries_of(dir_), std::vector<std::string>{"last"});
  EXPECT_EQ(stegolab::load_checkpoint(last, registry(), torch::kCPU).manifest.epoch, 3);

  // In place and current: nothing moves, leftovers go.
  fs::create_directories(dir_ / ".last.tmp-3");
  settled = stegolab::settle_checkpoint(last, 3);
  EXPECT_TRUE(settled.usable);
  EXPECT_TRUE(settled.recovered_from.empty());
  EXPECT_EQ(entries_of(dir_), std::vector<std::string>{"last"});

  // Only one ahead of the results: not usable, said why, left for the next save.
  settled = stegolab::settle_checkpoint(last, 2);
  EXPECT_FALSE(settled.usable);
  EXPECT_EQ(settled.why_not, "its checkpoint after epoch 4 is ahead of the recorded epochs");
  EXPECT_TRUE(fs::exists(last / "checkpoint.json"));
}

TEST_F(CheckpointTest, ClearErrors) {
  // Not a checkpoint.
  try {
    stegolab::load_checkpoint(dir_, registry(), torch::kCPU);
    FAIL();
  } catch (const stegolab::CheckpointError& error) {
    EXPECT_NE(std::string(error.what()).find("not a checkpoint"), std::string::npos)
        << error.what();
  }
  // Weights of another model: saved with hidden 8, manifest says 16.
  auto model = make_model();
  const nlohmann::json wider{{"blocks", 2}, {"hidden", 16}};
  stegolab::save_checkpoint(dir_ / "wrong", modules_of(model), manifest(wider));
  try {
    stegolab::load_checkpoint(dir_ / "wrong", registry(), torch::kCPU);
    FAIL();
  } catch (const stegolab::CheckpointError& error) {
    EXPECT_NE(std::string(error.what()).find("does not hold weights of model 'star_inn'"),
              std::string::npos)
        << error.what();
  }
  // A plugin that is not installed is named.
  auto unknown = manifest();
  unknown.components["transform"]["plugin"] = "no_such_wavelet";
  stegolab::save_checkpoint(dir_ / "unknown", modules_of(model), unknown);
  try {
    stegolab::load_checkpoint(dir_ / "unknown", registry(), torch::kCPU);
    FAIL();
  } catch (const stegolab::Error& error) {
    EXPECT_NE(std::string(error.what()).find("no_such_wavelet"), std::string::npos) << error.what();
  }
}

#if defined(STEGOLAB_WITH_OPENCV)
TEST_F(CheckpointTest, ImageFilesRoundTripAndConvert) {
  const auto pixels = torch::randint(0, 256, {5, 7, 3}, torch::kUInt8);
  stegolab::write_image(dir_ / "a.png", pixels);
  EXPECT_TRUE(
      torch::equal(stegolab::read_image(dir_ / "a.png", nullptr), pixels));  // PNG is lossless
  // Model range: uint8 -> [-1, 1] -> uint8 is the identity.
  EXPECT_TRUE(torch::equal(
      stegolab::from_model_image(stegolab::to_model_image(pixels, torch::kCPU)), pixels));
  // Resizing to the same size is a no-op; other sizes give the asked shape.
  EXPECT_EQ(stegolab::resize_image(pixels, 10, 4).sizes(), torch::IntArrayRef({10, 4, 3}));
  // Grayscale files become RGB, with a note.
  cv::Mat gray(4, 6, CV_8UC1, cv::Scalar(77));
  cv::imwrite((dir_ / "gray.png").string(), gray);
  std::stringstream notes;
  const auto rgb = stegolab::read_image(dir_ / "gray.png", &notes);
  EXPECT_EQ(rgb.sizes(), torch::IntArrayRef({4, 6, 3}));
  EXPECT_EQ(rgb.min().item<int>(), 77);
  EXPECT_EQ(rgb.max().item<int>(), 77);
  EXPECT_NE(notes.str().find("grayscale"), std::string::npos) << notes.str();
  // A missing file and a corrupt one: one-line errors naming the file.
  try {
    stegolab::read_image(dir_ / "missing.png", nullptr);
    FAIL();
  } catch (const stegolab::ImageFileError& error) {
    EXPECT_NE(std::string(error.what()).find("missing.png"), std::string::npos);
  }
  std::ofstream(dir_ / "corrupt.png") << "not a png";
  EXPECT_THROW(stegolab::read_image(dir_ / "corrupt.png", nullptr), stegolab::ImageFileError);
}

// Runs the stegolab binary; returns its exit status, stdout and stderr.
struct Run {
  int status;
  std::string out, err;
};
Run run(const std::string& arguments, const fs::path& dir) {
  const std::string command = std::string("'") + STEGOLAB_TEST_BINARY + "' " + arguments + " > '" +
                              (dir / "out.txt").string() + "' 2> '" + (dir / "err.txt").string() +
                              "'";
  const int raw = std::system(command.c_str());
  auto slurp = [](const fs::path& file) {
    std::ifstream in(file);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  };
  return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, slurp(dir / "out.txt"), slurp(dir / "err.txt")};
}

TEST_F(CheckpointTest, EmbedAndExtractCommands) {
  auto model = make_model();
  const fs::path checkpoint = dir_ / "ckpt";
  stegolab::save_checkpoint(checkpoint, modules_of(model), manifest());
  // A 48x40 cover (resized to 32x32 with a note) and a secret of the trained size.
  stegolab::write_image(dir_ / "cover.png", torch::randint(0, 256, {40, 48, 3}, torch::kUInt8));
  const auto gray = torch::randint(0, 256, {kImageSize, kImageSize, 1}, torch::kUInt8)
                        .expand({kImageSize, kImageSize, 3});
  stegolab::write_image(dir_ / "secret.png", gray.contiguous());
  const std::string common =
      "--checkpoint '" + checkpoint.string() + "' --plugin-path '" + STEGOLAB_TEST_PLUGIN_DIR + "'";

  auto embed =
      run("embed " + common + " --cover '" + (dir_ / "cover.png").string() + "' --secret '" +
              (dir_ / "secret.png").string() + "' --out '" + (dir_ / "stego.png").string() + "'",
          dir_);
  ASSERT_EQ(embed.status, 0) << embed.out << embed.err;
  EXPECT_NE(embed.err.find("resized"), std::string::npos) << embed.err;
  EXPECT_NE(embed.out.find("PSNR"), std::string::npos) << embed.out;
  const auto stego = stegolab::read_image(dir_ / "stego.png", nullptr);
  EXPECT_EQ(stego.sizes(), torch::IntArrayRef({kImageSize, kImageSize, 3}));

  auto extract = run("extract " + common + " --stego '" + (dir_ / "stego.png").string() +
                         "' --out '" + (dir_ / "recovered.png").string() + "' --reference '" +
                         (dir_ / "secret.png").string() + "'",
                     dir_);
  ASSERT_EQ(extract.status, 0) << extract.out << extract.err;
  EXPECT_NE(extract.out.find("recovered vs reference: PSNR"), std::string::npos) << extract.out;
  EXPECT_EQ(stegolab::read_image(dir_ / "recovered.png", nullptr).sizes(),
            torch::IntArrayRef({kImageSize, kImageSize, 3}));

  // --fit native: the stego keeps the cover's 48x40 (the secret is resized to
  // it), and extraction runs at the stego's own size.
  auto native = run("embed " + common + " --fit native --cover '" + (dir_ / "cover.png").string() +
                        "' --secret '" + (dir_ / "secret.png").string() + "' --out '" +
                        (dir_ / "native.png").string() + "'",
                    dir_);
  ASSERT_EQ(native.status, 0) << native.out << native.err;
  EXPECT_NE(native.err.find("the cover's size"), std::string::npos) << native.err;
  EXPECT_EQ(stegolab::read_image(dir_ / "native.png", nullptr).sizes(),
            torch::IntArrayRef({40, 48, 3}));
  auto native_back =
      run("extract " + common + " --fit native --stego '" + (dir_ / "native.png").string() +
              "' --out '" + (dir_ / "native_secret.png").string() + "'",
          dir_);
  ASSERT_EQ(native_back.status, 0) << native_back.out << native_back.err;
  EXPECT_EQ(stegolab::read_image(dir_ / "native_secret.png", nullptr).sizes(),
            torch::IntArrayRef({40, 48, 3}));
  auto bad_fit =
      run("extract " + common + " --fit stretch --stego '" + (dir_ / "native.png").string() +
              "' --out '" + (dir_ / "z.png").string() + "'",
          dir_);
  EXPECT_NE(bad_fit.status, 0);
  EXPECT_NE(bad_fit.err.find("--fit must be resize or native"), std::string::npos) << bad_fit.err;

  // A missing image: non-zero exit, one line naming the file.
  auto missing =
      run("embed " + common + " --cover '" + (dir_ / "nope.png").string() + "' --secret '" +
              (dir_ / "secret.png").string() + "' --out '" + (dir_ / "x.png").string() + "'",
          dir_);
  EXPECT_NE(missing.status, 0);
  EXPECT_NE(missing.err.find("nope.png"), std::string::npos) << missing.err;
  EXPECT_EQ(std::count(missing.err.begin(), missing.err.end(), '\n'), 1) << missing.err;

  // A checkpoint naming a plugin that is not installed.
  auto unknown = manifest();
  unknown.components["model"]["plugin"] = "no_such_model";
  stegolab::save_checkpoint(dir_ / "unknown", modules_of(model), unknown);
  auto failed = run("extract --checkpoint '" + (dir_ / "unknown").string() + "' --plugin-path '" +
                        STEGOLAB_TEST_PLUGIN_DIR + "' --stego '" + (dir_ / "stego.png").string() +
                        "' --out '" + (dir_ / "y.png").string() + "'",
                    dir_);
  EXPECT_NE(failed.status, 0);
  EXPECT_NE(failed.err.find("no_such_model"), std::string::npos) << failed.err;
}

// The number after `label` in a command's output ("label: PSNR 31.25 dB").
double printed_psnr(const std::string& output, const std::string& label) {
  const auto at = output.find(label + ": PSNR ");
  EXPECT_NE(at, std::string::npos) << output;
  return at == std::string::npos ? NAN : std::stod(output.substr(at + label.size() + 7));
}

TEST_F(CheckpointTest, EmbedWritesOnlyWhatItMeasures) {
  auto model = make_model();
  const fs::path checkpoint = dir_ / "ckpt";
  stegolab::save_checkpoint(checkpoint, modules_of(model), manifest());
  const auto cover = torch::randint(0, 256, {kImageSize, kImageSize, 3}, torch::kUInt8);
  stegolab::write_image(dir_ / "cover.png", cover);
  stegolab::write_image(dir_ / "tiny.png", torch::randint(0, 256, {8, 8, 3}, torch::kUInt8));
  const std::string common = "embed --checkpoint '" + checkpoint.string() + "' --plugin-path '" +
                             STEGOLAB_TEST_PLUGIN_DIR + "' --secret '" +
                             (dir_ / "cover.png").string() + "'";
  const auto embed = [&](const std::string& cover_file, const std::string& out,
                         const std::string& extra) {
    return run(common + " --cover '" + (dir_ / cover_file).string() + "' --out '" +
                   (dir_ / out).string() + "' " + extra,
               dir_);
  };

  // JPEG would not hold the computed stego: refused before any work.
  const auto lossy = embed("cover.png", "stego.jpg", "");
  EXPECT_NE(lossy.status, 0);
  EXPECT_NE(lossy.err.find("'.jpg' is not a lossless image format"), std::string::npos)
      << lossy.err;
  EXPECT_NE(lossy.err.find("--allow-lossy"), std::string::npos) << lossy.err;
  EXPECT_EQ(std::count(lossy.err.begin(), lossy.err.end(), '\n'), 1) << lossy.err;
  EXPECT_FALSE(fs::exists(dir_ / "stego.jpg"));

  // Asked for: written, and the quality printed is the JPEG file's, not the PNG's.
  const auto png = embed("cover.png", "stego.png", "");
  ASSERT_EQ(png.status, 0) << png.err;
  const auto jpeg = embed("cover.png", "stego.jpg", "--allow-lossy");
  ASSERT_EQ(jpeg.status, 0) << jpeg.err;
  const auto as_read = [&](const std::string& file) {
    return stegolab::read_image(dir_ / file, nullptr)
               .permute({2, 0, 1})
               .unsqueeze(0)
               .to(torch::kFloat32) /
           255.0;
  };
  const double jpeg_psnr =
      stegolab::psnr(as_read("stego.jpg"), as_read("cover.png"), 1.0).item<double>();
  EXPECT_NEAR(printed_psnr(jpeg.out, "stego vs cover"), jpeg_psnr, 0.011) << jpeg.out;
  EXPECT_GT(std::abs(printed_psnr(png.out, "stego vs cover") - jpeg_psnr), 0.1) << png.out;

  // Too small for SSIM's window: said on one line before the file is written.
  const auto tiny = embed("tiny.png", "tiny_stego.png", "--fit native");
  EXPECT_NE(tiny.status, 0);
  EXPECT_NE(tiny.err.find("is 8x8 pixels; its quality report needs at least 11x11"),
            std::string::npos)
      << tiny.err;
  EXPECT_EQ(std::count(tiny.err.begin(), tiny.err.end(), '\n'), 1) << tiny.err;
  EXPECT_EQ(tiny.out.find("SSIM"), std::string::npos) << tiny.out;
  EXPECT_FALSE(fs::exists(dir_ / "tiny_stego.png"));
}

#else
TEST_F(CheckpointTest, WithoutOpenCvImageFilesSaySoInOneLine) {
  try {
    stegolab::read_image(dir_ / "cover.png", nullptr);
    FAIL() << "read_image without OpenCV returned";
  } catch (const stegolab::ImageFileError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("cover.png"), std::string::npos) << message;
    EXPECT_NE(message.find("without OpenCV"), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
}
#endif  // STEGOLAB_WITH_OPENCV

}  // namespace
