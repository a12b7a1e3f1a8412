// Report, plot and results commands on a database built here with known rows.
// Every expected number is computed by hand from the rows in make_database():
// means and sample (n - 1) standard deviations over the repeats.
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <random>
#include <regex>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "cli/commands.hpp"
#include "report/line_chart.hpp"
#include "report/metric_direction.hpp"
#include "report/plot_series.hpp"
#include "report/report_table.hpp"
#include "report/summary_statistics.hpp"
#include "report/table_renderer.hpp"
#include "store/result_store.hpp"

namespace stegolab {
namespace {

namespace fs = std::filesystem;

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

size_t count_of(const std::string& text, const std::string& part) {
  size_t count = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++count;
  return count;
}

struct TrialRow {
  std::string transform;
  int64_t batch;
  int64_t repeat;
  std::string status;
  double rec_psnr, ber, train_images_per_s;
};

// Known rows. Done trials per (transform, batch):
//   cdf53_dwt/4: psnr 28.25, ber 0.10, 95 img/s
//   haar_dwt/4:  psnr 30, 32 (mean 31, std sqrt(2) = 1.414), ber 0.02, 0.04 (mean 0.03,
//                std 0.01414), 100, 110 img/s
//   haar_dwt/8:  psnr 31, ber 0.01, 180 img/s
//   ilwt53/4:    psnr 35.5, ber 0.00, 90 img/s
//   ilwt53/8:    psnr NaN (diverged), ber 0.5, 170 img/s
// plus a failed ilwt53/8 trial (psnr 99) that reports must leave out.
const std::vector<TrialRow> kRows = {
    {"haar_dwt", 4, 0, "done", 30.0, 0.02, 100.0},  {"haar_dwt", 4, 1, "done", 32.0, 0.04, 110.0},
    {"haar_dwt", 8, 0, "done", 31.0, 0.01, 180.0},  {"ilwt53", 4, 0, "done", 35.5, 0.0, 90.0},
    {"ilwt53", 8, 0, "done", NAN, 0.5, 170.0},      {"ilwt53", 8, 1, "failed", 99.0, 0.0, 999.0},
    {"cdf53_dwt", 4, 0, "done", 28.25, 0.10, 95.0},
};

class ReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device random;
    dir_ = fs::temp_directory_path() / ("stegolab_report_test_" + std::to_string(random()));
    fs::create_directories(dir_);
    db_ = dir_ / "cmp.db";
    ResultStore store(db_, ResultStore::Mode::read_write);
    const nlohmann::json experiment = {
        {"name", "cmp"},
        {"reports",
         {{{"name", "quality"}, {"rows", {"transform.plugin"}}, {"metrics", {"rec_psnr"}}},
          {{"name", "paper"},
           {"rows", {"transform.plugin"}},
           {"cols", {"train.batch_size"}},
           {"metrics", {"ber"}},
           {"format", "latex"},
           {"out", "tables/paper.tex"}}}}};
    const int64_t id = store.open_experiment("cmp", experiment, false).id;
    // As a task declares them; ber has no unit here, so its column shows none.
    store.write_conventions({{"rec_psnr", "recovery PSNR (RGB, 8 bit)", "dB", "higher"},
                             {"ber", "bit error rate", "", "lower"}});
    for (const auto& row : kRows) {
      TrialProvenance p;
      p.key = row.transform + "," + std::to_string(row.batch) + "#r" + std::to_string(row.repeat);
      p.sweep_point = {{"transform.plugin", row.transform}, {"train.batch_size", row.batch}};
      // The strategy's precision is not a sweep axis: reports find it in the config.
      p.config = {{"transform", {{"plugin", row.transform}}},
                  {"train", {{"batch_size", row.batch}}},
                  {"strategy", {{"params", {{"precision", "fp32"}}}}},
                  {"model", {{"params", {{"widths", {8, 16}}}}}}};
      p.repeat = row.repeat;
      const int64_t trial = store.start_trial(id, p);
      // Validation curves for haar_dwt/4 (means 11, 21, 30: the NaN repeat is left
      // out at epoch 2) and ilwt53/4 (15, 25).
      if (row.transform == "haar_dwt" && row.batch == 4) {
        const double base = row.repeat == 0 ? 10.0 : 12.0;
        store.record_epoch(trial, 0, {{0, Split::val, "rec_psnr", base}});
        store.record_epoch(trial, 1, {{1, Split::val, "rec_psnr", base + 10.0}});
        store.record_epoch(trial, 2, {{2, Split::val, "rec_psnr", row.repeat == 0 ? 30.0 : NAN}});
      }
      if (row.transform == "ilwt53" && row.batch == 4) {
        store.record_epoch(trial, 0, {{0, Split::val, "rec_psnr", 15.0}});
        store.record_epoch(trial, 1, {{1, Split::val, "rec_psnr", 25.0}});
      }
      Throughput tp;
      tp.train_images_per_s = row.train_images_per_s;
      tp.effective_batch = row.batch;
      store.finish_trial(
          trial, *parse_trial_status(row.status), row.status == "failed" ? "diverged" : "",
          {{0, Split::test, "rec_psnr", row.rec_psnr}, {0, Split::test, "ber", row.ber}}, tp);
    }
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  ReportTable table(const std::string& format, std::vector<std::string> cols = {"train.batch_size"},
                    std::vector<std::string> metrics = {"rec_psnr", "ber"}, int decimals = 2) {
    const ResultStore store(db_, ResultStore::Mode::read_only);
    ReportSpec spec;
    spec.rows = {"transform.plugin"};
    spec.cols = std::move(cols);
    spec.metrics = std::move(metrics);
    spec.format = format;
    spec.decimals = decimals;
    spec.caption = "Comparison";
    spec.label = "tab:cmp";
    return ReportTable::build(store, store.experiment("cmp"), spec);
  }

  fs::path dir_, db_;
};

// Runs a command function with std::cout captured.
std::string run_captured(int (*command)(const cli::Arguments&), const cli::Arguments& args,
                         int* rc = nullptr) {
  std::ostringstream captured;
  auto* previous = std::cout.rdbuf(captured.rdbuf());
  int status = 0;
  try {
    status = command(args);
  } catch (...) {
    std::cout.rdbuf(previous);
    throw;
  }
  std::cout.rdbuf(previous);
  if (rc != nullptr) *rc = status;
  return captured.str();
}

TEST(SummaryStatisticsTest, MeanSampleStdAndNanCount) {
  // 2, 4, 9: mean 5, deviations -3, -1, 4 -> (9 + 1 + 16) / 2 = 13.
  const auto stats = summarize({2.0, NAN, 4.0, 9.0});
  EXPECT_DOUBLE_EQ(stats.mean, 5.0);
  EXPECT_DOUBLE_EQ(stats.std, std::sqrt(13.0));
  EXPECT_EQ(stats.n, 3);
  EXPECT_EQ(stats.nan_count, 1);
  EXPECT_TRUE(std::isnan(summarize({7.0}).std));
  EXPECT_EQ(summarize({NAN}).n, 0);
}

TEST(MetricDirectionTest, DeclarationsFirstThenTheTrainersOwnNeverGuessed) {
  // A task's metric has the direction its declaration (stored with the
  // results) gives it, and none without one: names are not guessed.
  EXPECT_EQ(metric_direction("rec_psnr", {{"rec_psnr", "", "dB", "higher"}}), "higher");
  EXPECT_EQ(metric_direction("ber", {{"ber", "", "", "lower"}}), "lower");
  EXPECT_EQ(metric_direction("ber", {{"ber", "", "", "higher"}}), "higher");
  EXPECT_EQ(metric_direction("rec_psnr", {}), "");
  EXPECT_EQ(metric_direction("number_of_layers", {}), "");
  // The trainer's metrics and the throughput fields are the core's own.
  EXPECT_EQ(metric_direction("train_images_per_s", {}), "higher");
  EXPECT_EQ(metric_direction("loss/rec_mse", {}), "lower");
  EXPECT_EQ(metric_direction("step_time_ms", {}), "lower");
  EXPECT_EQ(metric_direction("peak_memory_mb", {}), "lower");
}

TEST_F(ReportTest, MarkdownGolden) {
  const std::string expected =
      "| transform.plugin | rec_psnr [dB] (batch_size=4) | ber (batch_size=4) | rec_psnr [dB] "
      "(batch_size=8) | ber (batch_size=8) |\n"
      "|---|---:|---:|---:|---:|\n"
      "| cdf53_dwt | 28.25 (1) | 0.10 (1) | – | – |\n"
      "| haar_dwt | 31.00 ± 1.41 (2) | 0.03 ± 0.01 (2) | 31.00 (1) | 0.01 (1) |\n"
      "| ilwt53 | **35.50** (1) | **0.00** (1) | NaN (0 of 1) | 0.50 (1) |\n"
      "\n"
      "Table: Comparison\n"
      "\n"
      "(n of m): only n of the cell's m repeats have a value; the others diverged (NaN) and are "
      "left out of mean and std.\n";
  EXPECT_EQ(TableRenderer::render(table("markdown")), expected);
}

TEST_F(ReportTest, LatexGolden) {
  const std::string expected =
      "% needs \\usepackage{booktabs} and \\usepackage{siunitx}\n"
      "\\begin{table}[t]\n"
      "  \\centering\n"
      "  \\caption{Comparison}\n"
      "  \\label{tab:cmp}\n"
      "  \\begin{tabular}{lcccc}\n"
      "    \\toprule\n"
      "     & \\multicolumn{2}{c}{batch\\_size=4} & \\multicolumn{2}{c}{batch\\_size=8} \\\\\n"
      "    \\cmidrule(lr){2-3} \\cmidrule(lr){4-5}\n"
      "    transform.plugin & rec\\_psnr [dB] & ber & rec\\_psnr [dB] & ber \\\\\n"
      "    \\midrule\n"
      "    cdf53\\_dwt & \\num{28.25}~(1) & \\num{0.10}~(1) & -- & -- \\\\\n"
      "    haar\\_dwt & \\num{31.00 \\pm 1.41}~(2) & \\num{0.03 \\pm 0.01}~(2) & "
      "\\num{31.00}~(1) & \\num{0.01}~(1) \\\\\n"
      "    ilwt53 & \\textbf{35.50}~(1) & \\textbf{0.00}~(1) & NaN~(0~of~1) & "
      "\\num{0.50}~(1) \\\\\n"
      "    \\bottomrule\n"
      "  \\end{tabular}\n"
      "  \\par\\smallskip{\\footnotesize ($n$~of~$m$): only n of the cell's m repeats have a "
      "value; the others diverged (NaN) and are left out of mean and std.\\par}\n"
      "\\end{table}\n";
  const std::string latex = TableRenderer::render(table("latex"));
  EXPECT_EQ(latex, expected);
}

TEST_F(ReportTest, LatexCompilesWhenATexEngineIsInstalled) {
  if (std::system("command -v pdflatex >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "pdflatex is not installed; the LaTeX text is checked by LatexGolden";
  }
  // The golden table, one whose cells say "(1 of 2)" with the note, and one
  // whose row label starts with "[" right after \midrule.
  ReportSpec widths;
  widths.rows = {"model.params.widths"};
  widths.metrics = {"rec_psnr"};
  widths.format = "latex";
  const ResultStore store(db_, ResultStore::Mode::read_only);
  const std::string tables =
      TableRenderer::render(table("latex")) +
      TableRenderer::render(table("latex", {}, {"rec_psnr"})) +
      TableRenderer::render(ReportTable::build(store, store.experiment("cmp"), widths));
  const std::string preamble =
      "\\documentclass{article}\n\\usepackage{booktabs}\n\\usepackage{siunitx}\n";
  std::ofstream(dir_ / "doc.tex") << preamble << "\\begin{document}\n"
                                  << tables << "\\end{document}\n";
  const std::string command = "cd '" + dir_.string() +
                              "' && pdflatex -interaction=nonstopmode -halt-on-error doc.tex "
                              ">/dev/null 2>&1";
  EXPECT_EQ(std::system(command.c_str()), 0) << "see " << (dir_ / "doc.log");
  EXPECT_TRUE(fs::exists(dir_ / "doc.pdf"));

  // The best cell really is bold: TeX's own box listing names each digit's
  // font, "bx" (bold extended) rather than "m" (medium).
  std::smatch best;
  ASSERT_TRUE(std::regex_search(tables, best, std::regex("\\\\textbf\\{[^}]*\\}")));
  std::ofstream(dir_ / "bold.tex")
      << preamble << "\\showboxdepth=5 \\showboxbreadth=100\n"
      << "\\begin{document}\n\\setbox0\\hbox{" << best.str() << "}\\showbox0\n\\end{document}\n";
  // \showbox counts as an error for the exit status; the log is what matters.
  std::system(
      ("cd '" + dir_.string() + "' && pdflatex -interaction=nonstopmode bold.tex >/dev/null 2>&1")
          .c_str());
  const std::string log = read_text(dir_ / "bold.log");
  EXPECT_NE(log.find("/bx/n/10 3"), std::string::npos) << best.str() << "\n" << log;
  EXPECT_EQ(log.find("/m/n/10 3"), std::string::npos) << best.str() << "\n" << log;
}

TEST_F(ReportTest, CsvGolden) {
  // Full precision: std of 30, 32 is sqrt(2); of 0.02, 0.04 it is sqrt(2)/100.
  const std::string expected =
      "transform.plugin,train.batch_size,metric,unit,mean,std,n,nan_count,best\n"
      "cdf53_dwt,4,rec_psnr,dB,28.25,,1,0,0\n"
      "cdf53_dwt,4,ber,,0.1,,1,0,0\n"
      "haar_dwt,4,rec_psnr,dB,31,1.41421356237,2,0,0\n"
      "haar_dwt,4,ber,,0.03,0.0141421356237,2,0,0\n"
      "haar_dwt,8,rec_psnr,dB,31,,1,0,0\n"
      "haar_dwt,8,ber,,0.01,,1,0,0\n"
      "ilwt53,4,rec_psnr,dB,35.5,,1,0,1\n"
      "ilwt53,4,ber,,0,,1,0,1\n"
      "ilwt53,8,rec_psnr,dB,,,0,1,0\n"
      "ilwt53,8,ber,,0.5,,1,0,0\n";
  EXPECT_EQ(TableRenderer::render(table("csv")), expected);
}

TEST_F(ReportTest, ThroughputColumnsTiesAndAveragedAxisWarning) {
  // Over both batch sizes: cdf53 95; haar 100, 110, 180 -> mean 130, std sqrt(1900) = 43.6;
  // ilwt53 90, 170 -> mean 130, std sqrt(3200) = 56.6. 130 ties: both bold.
  const auto t = table("markdown", {}, {"train_images_per_s"}, 1);
  const std::string expected =
      "| transform.plugin | train_images_per_s |\n"
      "|---|---:|\n"
      "| cdf53_dwt | 95.0 (1) |\n"
      "| haar_dwt | **130.0 ± 43.6** (3) |\n"
      "| ilwt53 | **130.0 ± 56.6** (2) |\n"
      "\n"
      "Table: Comparison\n";
  EXPECT_EQ(TableRenderer::render(t), expected);
  ASSERT_EQ(t.warnings.size(), 1u);
  EXPECT_NE(t.warnings[0].find("train.batch_size"), std::string::npos);
}

TEST_F(ReportTest, ColumnsFallBackToTheConfigAndUnknownMetricsAreNamed) {
  // strategy.params.precision is no sweep axis: it comes from each trial's config.
  const auto t = table("csv", {"strategy.params.precision"}, {"ber"});
  ASSERT_EQ(t.col_keys.size(), 1u);
  EXPECT_EQ(t.col_keys[0][0], "fp32");
  try {
    table("markdown", {}, {"hide_psnr"});
    FAIL() << "an unknown metric must be an error";
  } catch (const ReportError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("'hide_psnr'"), std::string::npos) << message;
    EXPECT_NE(message.find("ber, rec_psnr"), std::string::npos) << message;  // what exists
    EXPECT_NE(message.find("cmp.db"), std::string::npos) << message;
  }
}

TEST_F(ReportTest, ReportCommandRendersDeclaredReports) {
  const std::string out = run_captured(cli::report_command, {"--db", db_.string(), "--all"});
  // quality: rec_psnr per transform over both batch sizes: cdf53 28.25; haar 30, 32, 31 ->
  // 31 ± 1; ilwt53 35.5 (the NaN repeat left out, and said).
  EXPECT_NE(out.find("## quality"), std::string::npos) << out;
  EXPECT_NE(out.find("| haar_dwt | 31.00 ± 1.00 (3) |"), std::string::npos) << out;
  EXPECT_NE(out.find("| ilwt53 | **35.50** (1 of 2) |"), std::string::npos) << out;
  const std::string latex = read_text(dir_ / "tables" / "paper.tex");
  EXPECT_NE(latex.find("\\multicolumn{1}{c}{batch\\_size=8}"), std::string::npos) << latex;

  const std::string csv =
      run_captured(cli::report_command,
                   {"--db", db_.string(), "--experiment", "cmp", "--rows", "transform.plugin",
                    "--cols", "train.batch_size", "--metrics", "rec_psnr,ber", "--format", "csv"});
  EXPECT_EQ(csv, TableRenderer::render(table("csv")));
  // html is the whole document (html_report_test); a metric no trial has stays an error.
  EXPECT_THROW(run_captured(cli::report_command, {"--db", db_.string(), "--rows", "x", "--metrics",
                                                  "no_such_metric", "--format", "html"}),
               ReportError);
  EXPECT_THROW(run_captured(cli::report_command,
                            {"--db", db_.string(), "--experiment", "cmp", "--rows",
                             "transform.plugin", "--metrics", "ber", "--format", "docx"}),
               ReportError);
  try {
    run_captured(cli::report_command,
                 {"--db", db_.string(), "--experiment", "cmp", "--rows", "transform.plugin",
                  "--metrics", "ber", "--split", "validation"});
    ADD_FAILURE() << "--split validation was accepted";
  } catch (const Error& error) {
    EXPECT_STREQ(error.what(), "report: --split must be train, val or test, got 'validation'");
  }
}

TEST_F(ReportTest, MetricByEpochMeansOverRepeats) {
  const ResultStore store(db_, ResultStore::Mode::read_only);
  const auto series =
      metric_by_epoch(store, store.experiment("cmp"), "rec_psnr", Split::val, "transform.plugin");
  ASSERT_EQ(series.size(), 2u);  // cdf53_dwt has no validation rows
  EXPECT_EQ(series[0].name, "transform.plugin=haar_dwt");
  EXPECT_EQ(series[0].x, (std::vector<double>{1, 2, 3}));  // epochs count from 1
  EXPECT_EQ(series[0].y, (std::vector<double>{11, 21, 30}));
  EXPECT_EQ(series[1].y, (std::vector<double>{15, 25}));
}

TEST_F(ReportTest, ThroughputByBatchSize) {
  const ResultStore store(db_, ResultStore::Mode::read_only);
  const auto series = metric_by_sweep_value(store, store.experiment("cmp"), "train.batch_size",
                                            "train_images_per_s", "transform.plugin");
  ASSERT_EQ(series.size(), 3u);
  EXPECT_EQ(series[1].name, "transform.plugin=haar_dwt");
  EXPECT_EQ(series[1].x, (std::vector<double>{4, 8}));
  EXPECT_EQ(series[1].y, (std::vector<double>{105, 180}));  // (100 + 110) / 2
  EXPECT_EQ(series[2].y, (std::vector<double>{90, 170}));   // the failed 999 left out
}

TEST(LineChartTest, NiceTicksCoverTheRange) {
  EXPECT_EQ(nice_ticks(4, 64, 6), (std::vector<double>{0, 10, 20, 30, 40, 50, 60, 70}));
  EXPECT_EQ(nice_ticks(11, 30, 5), (std::vector<double>{10, 15, 20, 25, 30}));
  // 0.07 / 4 = 0.0175 rounds up to a step of 0.02.
  const auto small = nice_ticks(0.02, 0.09, 4);
  const std::vector<double> expected = {0.02, 0.04, 0.06, 0.08, 0.1};
  ASSERT_EQ(small.size(), expected.size());
  for (size_t i = 0; i < small.size(); ++i) EXPECT_NEAR(small[i], expected[i], 1e-12);
}

TEST_F(ReportTest, PlotCommandWritesOnePolylinePerGroup) {
  const fs::path svg = dir_ / "plots" / "psnr.svg";
  run_captured(cli::plot_command,
               {"--db", db_.string(), "--experiment", "cmp", "--metric", "rec_psnr", "--split",
                "val", "--group", "transform.plugin", "--out", svg.string(), "--no-png"});
  const std::string text = read_text(svg);
  EXPECT_EQ(text.rfind("<?xml", 0), 0u);
  EXPECT_NE(text.find("</svg>"), std::string::npos);
  EXPECT_EQ(count_of(text, "<polyline"), 2u);
  EXPECT_EQ(count_of(text, "</polyline>"), 2u);
  // Points per line: haar_dwt 3 epochs, ilwt53 2.
  const std::regex points_attr("points=\"([^\"]*)\"");
  std::vector<size_t> counts;
  for (std::sregex_iterator it(text.begin(), text.end(), points_attr), end; it != end; ++it) {
    counts.push_back(count_of((*it)[1].str(), ","));
  }
  EXPECT_EQ(counts, (std::vector<size_t>{3, 2}));
  EXPECT_NE(text.find(">epoch</text>"), std::string::npos);
  EXPECT_NE(text.find(">rec_psnr (val)</text>"), std::string::npos);
  EXPECT_NE(text.find(">transform.plugin=ilwt53</text>"), std::string::npos);  // legend

  const fs::path speed = dir_ / "speed.svg";
  run_captured(cli::plot_command, {"--db", db_.string(), "--experiment", "cmp", "--throughput",
                                   "--x", "train.batch_size", "--group", "transform.plugin",
                                   "--out", speed.string(), "--no-png"});
  const std::string chart = read_text(speed);
  EXPECT_EQ(count_of(chart, "<polyline"), 3u);
  EXPECT_NE(chart.find(">train.batch_size</text>"), std::string::npos);
  EXPECT_NE(chart.find(">train_images_per_s</text>"), std::string::npos);
}

TEST_F(ReportTest, PlotsGroupByTheVaryingSweepPathsByDefaultWithLegendsBelowAndWholeEpochs) {
  const ResultStore store(db_, ResultStore::Mode::read_only);
  // Both paths vary: a line per (transform, batch) with rows, repeats averaged.
  const auto by_default =
      metric_by_epoch(store, store.experiment("cmp"), "rec_psnr", Split::val, "");
  ASSERT_EQ(by_default.size(), 2u);
  EXPECT_EQ(by_default[0].name, "train.batch_size=4, transform.plugin=haar_dwt");
  EXPECT_EQ(by_default[0].y, (std::vector<double>{11, 21, 30}));
  const auto one = metric_by_epoch(store, store.experiment("cmp"), "rec_psnr", Split::val, "none");
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].name, "rec_psnr");
  // Against a sweep path, that path makes no lines.
  const auto speed = metric_by_sweep_value(store, store.experiment("cmp"), "train.batch_size",
                                           "train_images_per_s", "");
  ASSERT_EQ(speed.size(), 3u);
  EXPECT_EQ(speed[1].name, "transform.plugin=haar_dwt");

  LineChart chart;
  chart.series = by_default;
  chart.series[1].name = std::string(300, 'x') + ", model.params.output=dir";
  chart.integer_x = true;
  const std::string svg = chart.svg();
  // The long name wrapped below the plot: no text runs past the 760 px
  // width (95 characters of 12 px sans-serif after the legend's key).
  const std::regex text_element(">([^<]*)</text>");
  for (std::sregex_iterator it(svg.begin(), svg.end(), text_element), end; it != end; ++it) {
    EXPECT_LE((*it)[1].str().size(), 95u) << (*it)[1].str();
  }
  EXPECT_NE(svg.find("xxx, model.params.output=dir</text>"), std::string::npos) << svg;
  EXPECT_EQ(integer_ticks(1, 2, 6), (std::vector<double>{1, 2}));
  EXPECT_EQ(integer_ticks(1, 8, 6), (std::vector<double>{0, 2, 4, 6, 8}));
  EXPECT_EQ(wrap_text("a=1, b=2, c=3", 9), (std::vector<std::string>{"a=1, b=2,", "c=3"}));
}

TEST_F(ReportTest, AllWithAFormatOnTheCommandLineRendersEveryReportInIt) {
  const std::string out =
      run_captured(cli::report_command, {"--db", db_.string(), "--all", "--format", "csv"});
  EXPECT_NE(out.find("## quality"), std::string::npos) << out;
  EXPECT_EQ(out.find("| haar_dwt"), std::string::npos) << out;  // no Markdown left
  EXPECT_NE(out.find("haar_dwt,"), std::string::npos) << out;
  // The declared LaTeX file keeps its own; the CSV goes beside it.
  EXPECT_TRUE(fs::exists(dir_ / "tables" / "paper.csv"));
  EXPECT_FALSE(fs::exists(dir_ / "tables" / "paper.tex"));
}

TEST_F(ReportTest, PlotMakesAPngBesideTheSvgWhenRsvgConvertIsInstalled) {
  if (std::system("command -v rsvg-convert > /dev/null 2>&1") != 0) {
    GTEST_SKIP() << "rsvg-convert is not installed (Debian: librsvg2-bin)";
  }
  const fs::path svg = dir_ / "psnr.svg";
  run_captured(cli::plot_command, {"--db", db_.string(), "--experiment", "cmp", "--metric",
                                   "rec_psnr", "--out", svg.string()});
  const std::string png = read_text(dir_ / "psnr.png");
  ASSERT_GT(png.size(), 1000u);
  EXPECT_EQ(png.substr(1, 3), "PNG");
}

TEST_F(ReportTest, ResultsCommandListsShowsAndExports) {
  const std::string before = read_text(db_);
  const std::string list = run_captured(cli::results_command, {"list", "--db", db_.string()});
  // 7 trials: 6 done, 1 failed.
  EXPECT_TRUE(std::regex_search(list, std::regex("cmp +\\S+ +7 +6 +0 +1 +0 +0"))) << list;
  const std::string show =
      run_captured(cli::results_command, {"show", "cmp", "--db", db_.string()});
  EXPECT_NE(show.find("test/rec_psnr"), std::string::npos) << show;
  EXPECT_NE(show.find("diverged"), std::string::npos) << show;
  const std::string trial =
      run_captured(cli::results_command, {"trial", "1", "--db", db_.string()});
  // Stored epoch 2 (0-based), shown as users count epochs: 3; val psnr 30.
  EXPECT_TRUE(std::regex_search(trial, std::regex("\\n3 +30\\n"))) << trial;

  const std::string wide =
      run_captured(cli::results_command, {"export", "--format", "csv", "--layout", "wide",
                                          "--experiment", "cmp", "--db", db_.string()});
  std::istringstream lines(wide);
  std::string header, first;
  std::getline(lines, header);
  std::getline(lines, first);
  EXPECT_EQ(header,
            "experiment,trial_id,key,status,repeat,seed,train.batch_size,transform.plugin,"
            "test/ber,test/rec_psnr,train_images_per_s,eval_images_per_s,step_time_ms,"
            "data_wait_ms,peak_memory_mb,effective_batch");
  EXPECT_EQ(first, "cmp,1,\"haar_dwt,4#r0\",done,0,0,4,haar_dwt,0.02,30,100,,,,,4");
  const auto json = nlohmann::json::parse(
      run_captured(cli::results_command, {"export", "--format", "json", "--db", db_.string()}));
  // Long layout: 7 trials x (2 final + 6 throughput) + 3 + 3 + 2 epoch rows = 64.
  EXPECT_EQ(json.size(), 64u);
  EXPECT_EQ(read_text(db_), before);  // read-only commands never touch the file
}

TEST_F(ReportTest, ImagesPerSecondMeansTheTrainingThroughput) {
  // The issue's own example asks for images_per_s: the same numbers as
  // train_images_per_s (see ThroughputColumnsTiesAndAveragedAxisWarning).
  const std::string text = TableRenderer::render(table("markdown", {}, {"images_per_s"}, 1));
  EXPECT_NE(text.find("| transform.plugin | images_per_s |"), std::string::npos) << text;
  EXPECT_NE(text.find("| haar_dwt | **130.0 ± 43.6** (3) |"), std::string::npos) << text;
  EXPECT_NE(text.find("| cdf53_dwt | 95.0 (1) |"), std::string::npos) << text;
}

TEST_F(ReportTest, ACellWithDivergedRepeatsSaysHowManyCount) {
  // ilwt53 over both batch sizes: 35.5 and a NaN; the NaN is left out of
  // the mean and the cell says so.
  const std::string text = TableRenderer::render(table("markdown", {}, {"rec_psnr"}));
  EXPECT_NE(text.find("| ilwt53 | **35.50** (1 of 2) |"), std::string::npos) << text;
  EXPECT_NE(text.find("| haar_dwt | 31.00 ± 1.00 (3) |"), std::string::npos) << text;
  EXPECT_NE(text.find("(n of m): only n of the cell's m repeats have a value"), std::string::npos)
      << text;
  const std::string latex = TableRenderer::render(table("latex", {}, {"rec_psnr"}));
  EXPECT_NE(latex.find("\\textbf{35.50}~(1~of~2)"), std::string::npos) << latex;
  // Without a NaN there is no note.
  const std::string clean = TableRenderer::render(table("markdown", {}, {"ber"}));
  EXPECT_EQ(clean.find("(n of m)"), std::string::npos) << clean;
}

TEST_F(ReportTest, LatexBoldIsPlainTextAndARowLabelCannotBeReadAsAnOption) {
  const ResultStore store(db_, ResultStore::Mode::read_only);
  ReportSpec spec;
  spec.rows = {"model.params.widths"};  // [8,16] in every trial's config
  spec.cols = {"transform.plugin"};
  spec.metrics = {"rec_psnr"};
  spec.format = "latex";
  const std::string latex =
      TableRenderer::render(ReportTable::build(store, store.experiment("cmp"), spec));
  // After \midrule (and after \\ in later rows) a bare "[" would be taken
  // as the optional argument of the rule or line break.
  EXPECT_NE(latex.find("    \\midrule\n    {}[8,16] & "), std::string::npos) << latex;
  // siunitx v3 ignores the surrounding \textbf inside \num: bold cells are plain.
  EXPECT_NE(latex.find("\\textbf{35.50}~(1~of~2)"), std::string::npos) << latex;
  EXPECT_EQ(latex.find("\\textbf{\\num"), std::string::npos) << latex;
  EXPECT_NE(latex.find("\\num{31.00 \\pm 1.00}~(3)"), std::string::npos) << latex;
}

TEST_F(ReportTest, ExportsTellNanFromMissing) {
  // Trial 5 (ilwt53, batch 8) diverged: its test rec_psnr is NaN. No trial
  // measured eval_images_per_s.
  const std::string wide =
      run_captured(cli::results_command,
                   {"export", "--format", "csv", "--layout", "wide", "--db", db_.string()});
  EXPECT_NE(wide.find("\ncmp,5,\"ilwt53,8#r0\",done,0,0,8,ilwt53,0.5,nan,170,,,,,8\n"),
            std::string::npos)
      << wide;
  const auto json = nlohmann::json::parse(
      run_captured(cli::results_command,
                   {"export", "--format", "json", "--layout", "wide", "--db", db_.string()}));
  ASSERT_EQ(json.size(), 7u);
  EXPECT_EQ(json[4].at("trial_id"), 5);
  EXPECT_EQ(json[4].at("test/rec_psnr"), "nan");
  EXPECT_TRUE(json[4].at("eval_images_per_s").is_null());
  EXPECT_EQ(json[4].at("test/ber"), 0.5);
  const auto long_rows = nlohmann::json::parse(
      run_captured(cli::results_command, {"export", "--format", "json", "--db", db_.string()}));
  int nan_rows = 0;
  for (const auto& row : long_rows) nan_rows += row.at("value") == "nan" ? 1 : 0;
  EXPECT_EQ(nan_rows, 2);  // trial 5's final rec_psnr and haar_dwt/4 r1's epoch 2
}

TEST_F(ReportTest, ATrialIdMustBeANumber) {
  try {
    run_captured(cli::results_command, {"trial", "1abc", "--db", db_.string()});
    FAIL() << "'1abc' must not be read as trial 1";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("'1abc' is not a trial id"), std::string::npos)
        << error.what();
  }
}

TEST_F(ReportTest, ReadCommandsAskWhichExperimentWhenThereAreSeveral) {
  {
    ResultStore(db_, ResultStore::Mode::read_write)
        .open_experiment("other", {{"name", "other"}}, false);
  }
  const std::pair<int (*)(const cli::Arguments&), cli::Arguments> commands[] = {
      {cli::report_command,
       {"--db", db_.string(), "--rows", "transform.plugin", "--metrics", "ber"}},
      {cli::plot_command,
       {"--db", db_.string(), "--metric", "ber", "--out", (dir_ / "x.svg").string()}}};
  for (const auto& [command, args] : commands) {
    try {
      run_captured(command, args);
      FAIL() << "two experiments: the command must ask for --experiment";
    } catch (const Error& error) {
      const std::string message = error.what();
      EXPECT_NE(message.find("holds 2 experiments (cmp (id 1), other (id 2)); choose one with "
                             "--experiment"),
                std::string::npos)
          << message;
    }
  }
}

}  // namespace
}  // namespace stegolab
