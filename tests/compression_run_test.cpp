// The compression task end to end through the `stegolab` command: a tiny
// experiment trains and evaluates on real streams, and its checkpoint
// compresses and decompresses an image of another size; foreign and
// truncated streams are refused on one line.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "support/build_locations.hpp"
#include "image_io/image_io.hpp"
#include "store/result_store.hpp"
#include "support/shell_command.hpp"
#include "support/tiny_experiment.hpp"

namespace {

namespace fs = std::filesystem;

nlohmann::json tiny_compression_experiment() {
  nlohmann::json document = tiny_experiment(
      {{"data", {{"params", {{"size", 32}, {"count", 8}}}}},
       {"task", {{"plugin", "compression"}}},
       {"train", {{"best_metric", "psnr"}}}});
  document["model"] = {{"plugin", "factorized_prior"}, {"params", {{"n", 8}, {"m", 8}}}};
  document.erase("transform");
  return document;
}

CommandResult stegolab(const std::string& arguments) {
  return run_shell(std::string(STEGOLAB_TEST_BINARY) + " " + arguments + " --plugin-path '" +
                   STEGOLAB_TEST_PLUGIN_DIR + "'");
}

TEST(CompressionRun, TrainsThenCompressesAndDecompressesAnyImageSize) {
  const fs::path dir = fresh_test_folder("compression_run");
  const CommandResult run = run_tiny_experiment(dir, tiny_compression_experiment());
  ASSERT_EQ(run.status, 0) << run.output;
  const fs::path checkpoint = dir / "tiny.runs" / "1" / "best";
  ASSERT_TRUE(fs::exists(checkpoint / "checkpoint.json")) << run.output;
  {
    // The task's default report curves travel with its trial (PluginInfo::rate_quality,
    // compression_plugin.cpp: bpp against psnr, then against ms_ssim).
    const stegolab::ResultStore store(dir / "tiny.db", stegolab::ResultStore::Mode::read_only);
    const auto trials = store.trials(store.experiment("tiny").id);
    ASSERT_EQ(trials.size(), 1u);
    const nlohmann::json curves = trials[0]
                                      .plugins.value("task", nlohmann::json::object())
                                      .value("rate_quality", nlohmann::json());
    ASSERT_EQ(curves.size(), 2u) << trials[0].plugins.dump();
    EXPECT_EQ(curves[0], (nlohmann::json{{"rate", "bpp"}, {"quality", "psnr"}}));
  }

  torch::manual_seed(4);
  stegolab::write_image(dir / "photo.png", torch::randint(0, 256, {24, 40, 3}, torch::kUInt8));
  const std::string with_checkpoint = " --checkpoint '" + checkpoint.string() + "'";
  const CommandResult compressed = stegolab("compress" + with_checkpoint + " --image '" +
                                            (dir / "photo.png").string() + "' --out '" +
                                            (dir / "photo.slc").string() + "'");
  ASSERT_EQ(compressed.status, 0) << compressed.output;
  EXPECT_NE(compressed.output.find("bpp (header included)"), std::string::npos);
  const CommandResult decompressed = stegolab("decompress" + with_checkpoint + " --stream '" +
                                              (dir / "photo.slc").string() + "' --out '" +
                                              (dir / "decoded.png").string() + "'");
  ASSERT_EQ(decompressed.status, 0) << decompressed.output;
  const torch::Tensor decoded = stegolab::read_image(dir / "decoded.png", nullptr);
  EXPECT_EQ(decoded.sizes(), (std::vector<int64_t>{24, 40, 3}));

  // The stream cut short, and a file that is no stream at all.
  std::ifstream in(dir / "photo.slc", std::ios::binary);
  const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  std::ofstream(dir / "cut.slc", std::ios::binary) << bytes.substr(0, bytes.size() - 5);
  const CommandResult cut = stegolab("decompress" + with_checkpoint + " --stream '" +
                                     (dir / "cut.slc").string() + "' --out '" +
                                     (dir / "x.png").string() + "'");
  EXPECT_NE(cut.status, 0);
  EXPECT_NE(cut.output.find("cut.slc: truncated compressed stream"), std::string::npos)
      << cut.output;
  EXPECT_EQ(std::count(cut.output.begin(), cut.output.end(), '\n'), 1) << cut.output;
  const CommandResult foreign = stegolab("decompress" + with_checkpoint + " --stream '" +
                                         (dir / "photo.png").string() + "' --out '" +
                                         (dir / "x.png").string() + "'");
  EXPECT_NE(foreign.status, 0);
  EXPECT_NE(foreign.output.find("not a stegolab compressed image"), std::string::npos)
      << foreign.output;
}

}  // namespace
