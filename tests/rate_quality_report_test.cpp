// Rate-quality reports: a sweep's curve and the anchor curves its trials
// recorded as <rate>@<curve>(<setting>), the BD-rate between them, and the
// plot. The database is built here with points whose BD-rate is known in
// closed form (the same case as bjontegaard_test's IntegratesOnlyOverTheOverlap).
#include <cmath>
#include <fstream>
#include <iterator>
#include <random>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "cli/commands.hpp"
#include "metrics/metric_convention.hpp"
#include "report/rate_quality_report.hpp"
#include "store/result_store.hpp"

namespace stegolab {
namespace {

namespace fs = std::filesystem;

// Sweep: quality 32, 35, 38, 41 dB at log10 rate = q/10 - 4 - 0.1 + (q - 35)/100;
// anchor: quality 30, 33, 36, 39 at log10 rate = q/10 - 4. BD-rate of the
// sweep against the anchor: 100 (10^-0.095 - 1) = -19.647 %.
const std::vector<double> kLambdas = {0.001, 0.002, 0.004, 0.008};
const std::vector<double> kSweepQualities = {32, 35, 38, 41};
const std::vector<int> kAnchorQualities = {10, 30, 50, 70};  // JPEG settings
const std::vector<double> kAnchorPsnr = {30, 33, 36, 39};

class RateQualityReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device random;
    dir_ = fs::temp_directory_path() / ("stegolab_rd_test_" + std::to_string(random()));
    fs::create_directories(dir_);
    db_ = dir_ / "rd.db";
    ResultStore store(db_, ResultStore::Mode::read_write);
    const nlohmann::json experiment = {{"name", "rd"},
                                       {"reports",
                                        {{{"name", "rd"},
                                          {"rows", {"loss.params.lambda"}},
                                          {"metrics", {"bpp", "psnr"}},
                                          {"rate", "bpp"},
                                          {"quality", "psnr"}}}}};
    store.write_conventions({{"psnr", "PSNR", "dB", "higher"},
                             {"bpp", "bits per pixel", "bits/pixel", "lower"},
                             {"bpp@<anchor>", "anchor bits per pixel", "bits/pixel", "lower"}});
    add_trials(store, store.open_experiment("rd", experiment, false).id, true);
    // The same trials in an experiment that declares no report, and in one
    // whose task declared no curves.
    add_trials(store, store.open_experiment("plain", {{"name", "plain"}}, false).id, true);
    add_trials(store, store.open_experiment("untold", {{"name", "untold"}}, false).id, false);
  }

  // What the host records of a task that declares the curve (bpp, psnr)
  // (PluginInfo::rate_quality), or of one that declares none.
  static nlohmann::json task_plugins(bool declares_curves) {
    nlohmann::json task = {{"name", "compression"}, {"version", "1.0.0"}};
    if (declares_curves)
      task["rate_quality"] = nlohmann::json::array({{{"rate", "bpp"}, {"quality", "psnr"}}});
    return {{"task", task}};
  }

  static void add_trials(ResultStore& store, int64_t id, bool declares_curves) {
    for (size_t i = 0; i < kLambdas.size(); ++i) {
      TrialProvenance p;
      p.key = "lambda=" + std::to_string(kLambdas[i]);
      p.sweep_point = {{"loss.params.lambda", kLambdas[i]}};
      p.config = {{"loss", {{"params", {{"lambda", kLambdas[i]}}}}}};
      p.plugins = task_plugins(declares_curves);
      const int64_t trial = store.start_trial(id, p);
      const double q = kSweepQualities[i];
      std::vector<MetricRow> rows = {
          {0, Split::test, "psnr", q},
          {0, Split::test, "bpp", std::pow(10.0, q / 10 - 4 - 0.1 + (q - 35) / 100)}};
      // Every trial measured the same anchor on the same images.
      for (size_t a = 0; a < kAnchorQualities.size(); ++a) {
        const std::string label = "@jpeg(q=" + std::to_string(kAnchorQualities[a]) + ")";
        rows.push_back({0, Split::test, "psnr" + label, kAnchorPsnr[a]});
        rows.push_back({0, Split::test, "bpp" + label, std::pow(10.0, kAnchorPsnr[a] / 10 - 4)});
      }
      store.finish_trial(trial, TrialStatus::done, "", rows, Throughput{});
    }
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  RateQualityReport report() const {
    const ResultStore store(db_, ResultStore::Mode::read_only);
    ReportSpec spec;
    spec.rows = {"loss.params.lambda"};
    spec.metrics = {"bpp", "psnr"};
    spec.rate = "bpp";
    spec.quality = "psnr";
    return RateQualityReport::build(store, store.experiment("rd"), spec);
  }

  fs::path dir_, db_;
};

TEST_F(RateQualityReportTest, TheSweepAndTheAnchorAreCurvesWithTheirBdRate) {
  const RateQualityReport rd = report();
  ASSERT_EQ(rd.points.row_keys.size(), 8u);
  EXPECT_EQ(rd.points.row_keys[0][0], "sweep");
  EXPECT_EQ(rd.points.row_keys[0][1], "loss.params.lambda=0.001");
  EXPECT_EQ(rd.points.row_keys[4][0], "anchor jpeg");
  EXPECT_EQ(rd.points.row_keys[4][1], "q=10");
  EXPECT_NEAR(rd.points.cells[4][0][1].stats.mean, 30.0, 1e-12);
  ASSERT_EQ(rd.bd_rate.cells.size(), 1u);
  EXPECT_NEAR(rd.bd_rate.cells[0][0][0].stats.mean, 100.0 * (std::pow(10.0, -0.095) - 1.0), 1e-6);
  EXPECT_TRUE(rd.warnings.empty());
  const auto series = rd.chart_series();
  ASSERT_EQ(series.size(), 2u);
  EXPECT_EQ(series[1].name, "anchor jpeg");
  EXPECT_EQ(series[1].x.size(), 4u);
}

std::string run_captured(int (*command)(const cli::Arguments&), const cli::Arguments& args) {
  std::ostringstream captured;
  auto* previous = std::cout.rdbuf(captured.rdbuf());
  try {
    command(args);
  } catch (...) {
    std::cout.rdbuf(previous);
    throw;
  }
  std::cout.rdbuf(previous);
  return captured.str();
}

TEST_F(RateQualityReportTest, DeclaredReportShowsTheAnchorRowsAndTheBdRate) {
  const std::string out =
      run_captured(cli::report_command, {"--db", db_.string(), "--experiment", "rd", "--all"});
  EXPECT_NE(out.find("| anchor jpeg | q=70 |"), std::string::npos) << out;
  EXPECT_NE(out.find("| sweep | -19.65 (1) |"), std::string::npos) << out;
}

TEST_F(RateQualityReportTest, AnAdHocTableIsFollowedByTheCurvesTheTaskDeclared) {
  const std::string out =
      run_captured(cli::report_command, {"--db", db_.string(), "--experiment", "plain", "--rows",
                                         "loss.params.lambda", "--metrics", "psnr"});
  EXPECT_NE(out.find("| anchor jpeg | q=70 |"), std::string::npos) << out;
  EXPECT_NE(out.find("| sweep | -19.65 (1) |"), std::string::npos) << out;
}

TEST_F(RateQualityReportTest, AnAdHocTableOfATaskWithoutCurvesIsTheTableAlone) {
  const std::string out =
      run_captured(cli::report_command, {"--db", db_.string(), "--experiment", "untold", "--rows",
                                         "loss.params.lambda", "--metrics", "psnr"});
  EXPECT_NE(out.find("| loss.params.lambda |"), std::string::npos) << out;
  EXPECT_EQ(out.find("anchor jpeg"), std::string::npos) << out;
  // Named on the command line, the curves are shown whatever the task declared.
  const std::string named =
      run_captured(cli::report_command,
                   {"--db", db_.string(), "--experiment", "untold", "--rows", "loss.params.lambda",
                    "--metrics", "psnr", "--rate", "bpp", "--quality", "psnr"});
  EXPECT_NE(named.find("| sweep | -19.65 (1) |"), std::string::npos) << named;
}

// The HTML cell of the BD-rate: html_table writes "<mean> <span class="n">(n)</span>".
const char* const kHtmlBdRate = "<td>-19.65 <span class=\"n\">(1)</span></td>";

TEST_F(RateQualityReportTest, HtmlReportShowsTheDeclaredCurvesTheirBdRateAndChart) {
  const std::string html = run_captured(
      cli::report_command, {"--db", db_.string(), "--experiment", "rd", "--format", "html"});
  EXPECT_NE(html.find(kHtmlBdRate), std::string::npos) << html;
  EXPECT_NE(html.find("<h4>psnr against bpp</h4>"), std::string::npos);
  EXPECT_NE(html.find("<polyline"), std::string::npos);
}

TEST_F(RateQualityReportTest, HtmlReportWithoutDeclaredReportsShowsTheTaskCurves) {
  const std::string html = run_captured(
      cli::report_command, {"--db", db_.string(), "--experiment", "plain", "--format", "html"});
  EXPECT_NE(html.find(kHtmlBdRate), std::string::npos) << html;
  const std::string untold = run_captured(
      cli::report_command, {"--db", db_.string(), "--experiment", "untold", "--format", "html"});
  EXPECT_EQ(untold.find("against bpp"), std::string::npos);
}

TEST_F(RateQualityReportTest, PlotDrawsOneLinePerCurve) {
  const fs::path svg = dir_ / "rd.svg";
  run_captured(cli::plot_command,
               {"--db", db_.string(), "--experiment", "rd", "--rate", "bpp", "--quality", "psnr",
                "--rows", "loss.params.lambda", "--out", svg.string(), "--no-png"});
  std::ifstream in(svg);
  const std::string text((std::istreambuf_iterator<char>(in)), {});
  size_t lines = 0;
  for (size_t at = text.find("<polyline"); at != std::string::npos;
       at = text.find("<polyline", at + 1)) {
    ++lines;
  }
  EXPECT_EQ(lines, 2u);
}

TEST(MetricConventionTest, AConditionedMetricMatchesAnyPlaceholder) {
  const std::vector<MetricConvention> conventions = {{"psnr", "", "dB", "higher"},
                                                     {"bpp@<anchor>", "", "bits/pixel", "lower"}};
  const auto found = find_metric_convention(conventions, "bpp@jpeg(q=50)");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->name, "bpp@<anchor>");
  EXPECT_FALSE(find_metric_convention(conventions, "psnr@jpeg(q=50)").has_value());
}

}  // namespace
}  // namespace stegolab
