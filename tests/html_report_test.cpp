// The HTML report: one self-contained file with the tables, curves,
// galleries, provenance and trials of an experiment, checked as text and,
// where Chromium is installed, as a page a real browser renders.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>

#include <torch/torch.h>

#include "support/build_locations.hpp"
#include "image_io/image_io.hpp"
#include "report/base64.hpp"
#include "report/markup_escape.hpp"
#include "report/report_table.hpp"
#include "report/table_cells.hpp"
#include "store/result_store.hpp"
#include "support/tiny_experiment.hpp"
#include "support/tiny_run_plugins.hpp"

namespace stegolab {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(Base64, EncodesTheTestVectorsOfRfc4648) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
  EXPECT_EQ(base64_encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64_encode(std::string("\xff\xfe\x00", 3)), "//4A");
}

TEST(MarkupEscape, EscapesWhatMarkupReadsAndKeepsUtf8) {
  EXPECT_EQ(markup_escape("<a href=\"x\">'&'</a> ±"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt; ±");
}

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

int64_t occurrences(const std::string& text, const std::string& part) {
  int64_t count = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++count;
  return count;
}

class HtmlReport : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const std::string missing = missing_tiny_run_plugin(); !missing.empty())
      GTEST_SKIP() << "plugin " << missing << " is not in this build";
    dir_ = fresh_test_folder("html_report_test");
    const nlohmann::json changes = {{"train", {{"epochs", 2}}},
                                    {"sweep", {{"axes", {{"train.optimizer.lr", {1e-3, 2e-3}}}}}},
                                    {"reports",
                                     {{{"name", "quality"},
                                       {"rows", {"train.optimizer.lr"}},
                                       {"metrics", {"hide_psnr", "rec_psnr"}},
                                       {"caption", "Tiny <quality> & speed"}}}}};
    const CommandResult run = run_tiny_experiment(dir_, tiny_experiment(changes));
    ASSERT_EQ(run.status, 0) << run.output;
    report_ = dir_ / "report.html";
    const CommandResult report =
        run_shell(std::string(STEGOLAB_TEST_BINARY) + " report --db " +
                  (dir_ / "tiny.db").string() + " --format html --out " + report_.string());
    ASSERT_EQ(report.status, 0) << report.output;
    html_ = read_text(report_);
  }

  // The declared table, built directly from the database.
  ReportTable declared_table() const {
    ResultStore store(dir_ / "tiny.db", ResultStore::Mode::read_only);
    ReportSpec spec;
    spec.rows = {"train.optimizer.lr"};
    spec.metrics = {"hide_psnr", "rec_psnr"};
    return ReportTable::build(store, store.experiment("tiny"), spec);
  }

  // Its cells as the report writes them ("31.25").
  std::vector<std::string> table_values() const {
    std::vector<std::string> values;
    for (const auto& row : declared_table().cells) {
      for (const ReportCell& cell : row[0]) values.push_back(fixed_decimals(cell.stats.mean, 2));
    }
    return values;
  }

  std::filesystem::path run_folder_picture() const {
    return dir_ / "tiny.runs" / "1" / "gallery" / "test" / "000_cover.png";
  }

  std::filesystem::path dir_, report_;
  std::string html_;
};

TEST_F(HtmlReport, HoldsTheTablesCurvesGalleriesProvenanceAndTrials) {
  EXPECT_THAT(html_, HasSubstr("<!DOCTYPE html>"));
  EXPECT_THAT(html_, HasSubstr("A tiny experiment of the test suite."));
  EXPECT_THAT(html_, HasSubstr("Tiny &lt;quality&gt; &amp; speed"));  // the caption, escaped
  const std::vector<std::string> values = table_values();
  ASSERT_EQ(values.size(), 4u);
  for (const std::string& value : values) EXPECT_THAT(html_, HasSubstr(">" + value)) << value;
  int64_t best = 0;  // the best of each column, ties all marked
  for (const auto& row : declared_table().cells) {
    for (const ReportCell& cell : row[0]) best += cell.best ? 1 : 0;
  }
  EXPECT_GE(best, 2);
  EXPECT_EQ(occurrences(html_, "<strong>"), best);
  EXPECT_THAT(html_, Not(HasSubstr("class=\"warning\"")));
  EXPECT_GE(occurrences(html_, "<svg"), 3);  // loss, hide_psnr, rec_psnr against epoch
  // 2 trials x 3 samples x 7 panels, embedded.
  EXPECT_EQ(occurrences(html_, "src=\"data:image/png;base64,"), 42);
  EXPECT_THAT(html_, HasSubstr("|stego - cover| x10"));
  EXPECT_THAT(html_, HasSubstr(TORCH_VERSION));
  EXPECT_THAT(html_, HasSubstr("star_inn"));
  EXPECT_THAT(html_, HasSubstr("checkpoint_best"));        // an event of each trial
  EXPECT_THAT(html_, HasSubstr("&quot;blocks&quot;: 1"));  // the trial's configuration
}

TEST_F(HtmlReport, NeedsNothingButItself) {
  EXPECT_THAT(html_, Not(HasSubstr("<script")));
  EXPECT_THAT(html_, Not(HasSubstr("<link")));
  // No resource is fetched: every src is inline, every URL only a namespace.
  EXPECT_FALSE(std::regex_search(html_, std::regex(R"((src|href)=\"(https?:|//|file:))")));
  EXPECT_FALSE(std::regex_search(html_, std::regex(R"(url\()")));
}

TEST_F(HtmlReport, AMissingPictureIsSaidAndTheRestIsThere) {
  std::filesystem::remove(run_folder_picture());
  const CommandResult report =
      run_shell(std::string(STEGOLAB_TEST_BINARY) + " report --db " + (dir_ / "tiny.db").string() +
                " --format html --out " + report_.string());
  ASSERT_EQ(report.status, 0) << report.output;
  EXPECT_THAT(report.output, HasSubstr("gallery picture missing"));
  EXPECT_EQ(occurrences(read_text(report_), "src=\"data:image/png;base64,"), 41);
}

TEST(HtmlReportOfMergedShards, ShowsEveryPictureOfEveryShard) {
  if (const std::string missing = missing_tiny_run_plugin(); !missing.empty())
    GTEST_SKIP() << "plugin " << missing << " is not in this build";
  const auto dir = fresh_test_folder("html_report_test");
  std::ofstream(dir / "tiny.json")
      << tiny_experiment({{"sweep", {{"axes", {{"train.optimizer.lr", {1e-3, 2e-3}}}}}}}).dump();
  const std::string stegolab = std::string(STEGOLAB_TEST_BINARY) + " ";
  for (const char* shard : {"0", "1"}) {
    const CommandResult run =
        run_shell(stegolab + "run " + (dir / "tiny.json").string() + " --threads 1 --shard " +
                  shard + "/2 --db " + (dir / "shards" / (std::string(shard) + ".db")).string());
    ASSERT_EQ(run.status, 0) << run.output;
  }
  const std::string merged = (dir / "merged.db").string();
  const CommandResult merge =
      run_shell(stegolab + "results merge " + merged + " " + (dir / "shards" / "0.db").string() +
                " " + (dir / "shards" / "1.db").string());
  ASSERT_EQ(merge.status, 0) << merge.output;
  const auto file = dir / "merged.html";
  const CommandResult report =
      run_shell(stegolab + "report --db " + merged + " --format html --out " + file.string());
  ASSERT_EQ(report.status, 0) << report.output;
  EXPECT_THAT(report.output, Not(HasSubstr("missing")));
  // The pictures stay in the shards' folders; the merged rows point there.
  EXPECT_EQ(occurrences(read_text(file), "src=\"data:image/png;base64,"), 2 * 3 * 7);
}

// Headless Chromium, run as root too (no sandbox there), with its own
// profile folder so that tests running at once do not share one.
std::string chromium_command(const std::filesystem::path& dir) {
  return "timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars "
         "--no-first-run --user-data-dir=" +
         (dir / "chromium-profile").string();
}

bool chromium_installed() { return run_shell("command -v chromium").status == 0; }

TEST_F(HtmlReport, ARealBrowserRendersItWithTheTableValuesInThePage) {
  if (!chromium_installed()) {
    GTEST_SKIP() << "chromium is not installed (scripts/install-dependencies --browser "
                    "installs it)";
  }
  const std::string url = "file://" + std::filesystem::absolute(report_).string();
  const auto screenshot = dir_ / "report.png";
  const CommandResult shot = run_shell(chromium_command(dir_) + " --window-size=1280,1600 " +
                                       "--screenshot=" + screenshot.string() + " " + url);
  ASSERT_EQ(shot.status, 0) << shot.output;
  const torch::Tensor pixels = read_image(screenshot, nullptr).to(torch::kFloat);
  ASSERT_EQ(pixels.size(1), 1280);
  // Not blank: a good part of the page is not background, and it varies.
  const double inked = (pixels.mean(2) < 200).to(torch::kFloat).mean().item<double>();
  EXPECT_GT(inked, 0.005) << "fraction of dark pixels in " << screenshot;
  EXPECT_GT(pixels.std().item<double>(), 20.0);

  // The page as the browser built it (its DOM after parsing), not the file.
  const CommandResult dom = run_shell(chromium_command(dir_) + " --dump-dom " + url);
  ASSERT_EQ(dom.status, 0) << dom.output;
  EXPECT_THAT(dom.output, HasSubstr("<h1>tiny</h1>"));
  for (const std::string& value : table_values()) EXPECT_THAT(dom.output, HasSubstr(value));
  EXPECT_GE(occurrences(dom.output, "<svg"), 3);
}

}  // namespace
}  // namespace stegolab
