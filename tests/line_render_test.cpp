// The line_render dataset: the batched drawing against one image at a time
// and against a plain per-pixel loop over every segment, the .npy and CSV
// readers, and the dataset built through the plugin registry.
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "../plugins/datasets/line_render/line_drawing.cpp"
#include "../plugins/datasets/line_render/sequence_file.cpp"
#include "plugin_host/plugin_registry.hpp"
#include "stegolab/dataset.hpp"
#include "stegolab/errors.hpp"
#include "support/build_locations.hpp"
#include "support/test_folder.hpp"

namespace stegolab {
namespace {

namespace fs = std::filesystem;

// Random walks and a flat sequence (drawn at mid-height).
torch::Tensor some_sequences(int64_t length) {
  torch::manual_seed(5);
  torch::Tensor walks = torch::randn({5, length}).cumsum(1);
  return torch::cat({walks, torch::full({1, length}, 3.0)});
}

LineStyle small_style() {
  LineStyle style;
  style.height = 40;
  style.width = 64;
  style.line_width = 2.5;
  style.margin = 3.0;
  style.colour = {200, 30, 10};
  style.background = {250, 250, 240};
  return style;
}

// The drawing's definition, pixel by pixel: the nearest of all segments (in
// double precision), coverage clamp(w/2 + 1/2 - d, 0, 1), the background
// blended towards the colour by it.
torch::Tensor drawn_pixel_by_pixel(const torch::Tensor& sequences, const LineStyle& style) {
  const Polylines points = polyline_points(sequences, style);
  const auto x = points.x.accessor<float, 1>();
  const auto y = points.y.accessor<float, 2>();
  torch::Tensor image =
      torch::empty({sequences.size(0), style.height, style.width, 3}, torch::kByte);
  auto pixels = image.accessor<uint8_t, 4>();
  for (int64_t b = 0; b < sequences.size(0); ++b) {
    for (int64_t r = 0; r < style.height; ++r) {
      for (int64_t c = 0; c < style.width; ++c) {
        double nearest = 1e30;
        for (int64_t k = 0; k + 1 < sequences.size(1); ++k) {
          const double dx = x[k + 1] - x[k], dy = y[b][k + 1] - y[b][k];
          const double t =
              std::clamp(((c - x[k]) * dx + (r - y[b][k]) * dy) / (dx * dx + dy * dy), 0.0, 1.0);
          nearest = std::min(nearest, std::hypot(c - x[k] - t * dx, r - y[b][k] - t * dy));
        }
        const double coverage = std::clamp(style.line_width / 2 + 0.5 - nearest, 0.0, 1.0);
        for (int ch = 0; ch < 3; ++ch) {
          pixels[b][r][c][ch] = static_cast<uint8_t>(std::lround(
              style.background[ch] + coverage * (style.colour[ch] - style.background[ch])));
        }
      }
    }
  }
  return image;
}

int64_t largest_difference(const torch::Tensor& a, const torch::Tensor& b) {
  return (a.to(torch::kInt) - b.to(torch::kInt)).abs().max().item<int64_t>();
}

TEST(LineRender, BatchedDrawingEqualsOneImageAtATimeAndThePixelLoop) {
  const LineStyle style = small_style();
  for (const int64_t length : {2, 9, 30, 200}) {  // segments wider and narrower than a pixel
    const torch::Tensor sequences = some_sequences(length);
    const torch::Tensor batched = render_lines(sequences, style);
    ASSERT_EQ(batched.sizes(), torch::IntArrayRef({6, 40, 64, 3}));
    EXPECT_LE(largest_difference(batched, render_lines_one_by_one(sequences, style)), 1) << length;
    EXPECT_LE(largest_difference(batched, drawn_pixel_by_pixel(sequences, style)), 1) << length;
    // Not all background: the line is drawn (a blend towards the colour's red 200 < 250).
    EXPECT_LT(batched.select(3, 0).min().item<int64_t>(), 210) << length;
  }
}

TEST(LineRender, MinimumAtTheBottomLeftAndMaximumAtTheTopRight) {
  const LineStyle style = small_style();
  const torch::Tensor image = render_lines(torch::tensor({{-7.0f, 12.0f}}), style)[0];
  // Vertices at (margin, height-1-margin) and (width-1-margin, margin): pixel centres.
  EXPECT_EQ(image[36][3][0].item<int64_t>(), 200);
  EXPECT_EQ(image[3][60][0].item<int64_t>(), 200);
  EXPECT_EQ(image[3][3][0].item<int64_t>(), 250);  // far from the diagonal: background
}

class SequenceFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = stegolab::testing::make_test_folder("stegolab_lines");
  }
  void TearDown() override { fs::remove_all(folder_); }
  // A version-1 .npy file of `dtype` with the header NumPy writes.
  std::string npy(const std::string& name, const std::string& dtype, int64_t rows, int64_t columns,
                  const void* data, size_t bytes) const {
    std::string header = "{'descr': '" + dtype + "', 'fortran_order': False, 'shape': (" +
                         std::to_string(rows) + ", " + std::to_string(columns) + "), }";
    header.append(64 - (10 + header.size() + 1) % 64, ' ').push_back('\n');
    const std::string file = (folder_ / name).string();
    std::ofstream out(file, std::ios::binary);
    out.write("\x93NUMPY\x01\x00", 8);
    const char length[2] = {static_cast<char>(header.size() & 0xff),
                            static_cast<char>(header.size() >> 8)};
    out.write(length, 2);
    out << header;
    out.write(static_cast<const char*>(data), static_cast<std::streamsize>(bytes));
    return file;
  }
  std::string text(const std::string& name, const std::string& content) const {
    const std::string file = (folder_ / name).string();
    std::ofstream(file) << content;
    return file;
  }
  fs::path folder_;
};

TEST_F(SequenceFiles, NpyFloat32IsReadAndOtherDtypesAreRefusedByName) {
  const std::vector<float> values = {1, 2, 3, 4, 5, 6};
  const torch::Tensor read = read_sequences("t", npy("a.npy", "<f4", 2, 3, values.data(), 24));
  EXPECT_TRUE(torch::equal(read, torch::tensor({{1.0f, 2.0f, 3.0f}, {4.0f, 5.0f, 6.0f}})));
  const std::vector<double> doubles = {1, 2, 3, 4};
  try {
    read_sequences("t", npy("b.npy", "<f8", 2, 2, doubles.data(), 32));
    FAIL() << "float64 accepted";
  } catch (const PluginError& error) {
    EXPECT_NE(std::string(error.what()).find("'<f8' is not little-endian float32"),
              std::string::npos)
        << error.what();
  }
}

TEST_F(SequenceFiles, CsvRowsAreSequencesAndARaggedRowIsNamedByItsLine) {
  EXPECT_TRUE(torch::equal(read_sequences("t", text("a.csv", "1,2.5,3\n4, 5,6\n")),
                           torch::tensor({{1.0f, 2.5f, 3.0f}, {4.0f, 5.0f, 6.0f}})));
  EXPECT_THROW(
      {
        try {
          read_sequences("t", text("b.csv", "1,2,3\n4,5\n"));
        } catch (const PluginError& error) {
          EXPECT_NE(std::string(error.what()).find("b.csv':2: 2 values"), std::string::npos)
              << error.what();
          throw;
        }
      },
      PluginError);
}

TEST_F(SequenceFiles, TheDatasetServesChartsOfItsSequences) {
  PluginRegistry registry;
  registry.discover({STEGOLAB_TEST_PLUGIN_DIR});
  const std::string file = text("s.csv", "0,1,0,1\n3,2,1,0\n5,5,6,9\n");
  const auto source = registry.build<ImageSource>(
      "line_render", {{"path", file}, {"height", 24}, {"width", 32}}, BuildContext{});
  ASSERT_EQ(source->size(), 3);
  EXPECT_EQ(source->sample_extent(true), (ImageExtent{24, 32}));
  const torch::Tensor images = source->load(torch::tensor({2, 0}), torch::kCPU, true);
  ASSERT_EQ(images.sizes(), torch::IntArrayRef({2, 24, 32, 3}));
  LineStyle style;
  style.height = 24;
  style.width = 32;
  EXPECT_TRUE(
      torch::equal(images[0], render_lines(torch::tensor({{5.0f, 5.0f, 6.0f, 9.0f}}), style)[0]));
}

}  // namespace
}  // namespace stegolab
