// The core knows no task's vocabulary: every file under framework/src, its
// comments included, is free of the steganography task's words and metric
// names, so that a task's meaning lives in its plugin alone.
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/build_locations.hpp"

namespace {

namespace fs = std::filesystem;

std::vector<std::string> offending_lines(const fs::path& root, const std::regex& pattern) {
  std::vector<std::string> found;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path());
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
      if (std::regex_search(line, pattern)) {
        found.push_back(entry.path().lexically_relative(root).string() + ":" +
                        std::to_string(number) + ": " + line);
      }
    }
  }
  return found;
}

std::string joined(const std::vector<std::string>& lines) {
  std::ostringstream text;
  for (const auto& line : lines) text << "\n  " << line;
  return text.str();
}

const fs::path kCore = fs::path(STEGOLAB_SOURCE_DIR) / "framework" / "src";

TEST(CoreVocabulary, NoTaskWordsInTheCore) {
  ASSERT_TRUE(fs::is_directory(kCore)) << kCore;
  const std::regex words(R"(\b(embed|extract|covers?|secrets?|stego)\b)", std::regex::icase);
  const auto lines = offending_lines(kCore, words);
  EXPECT_TRUE(lines.empty()) << lines.size()
                             << " line(s) of framework/src use a task's words:" << joined(lines);
}

TEST(CoreVocabulary, NoTaskMetricNamesInTheCore) {
  const std::regex metrics(R"(\b(hide|rec)_[a-z])");
  const auto lines = offending_lines(kCore, metrics);
  EXPECT_TRUE(lines.empty()) << lines.size()
                             << " line(s) of framework/src name a task's metric:" << joined(lines);
}

// The patterns catch what they are meant to, so the tests above can fail.
TEST(CoreVocabulary, ThePatternsMatchTheWordsTheyGuard) {
  const std::regex words(R"(\b(embed|extract|covers?|secrets?|stego)\b)", std::regex::icase);
  EXPECT_TRUE(std::regex_search("// hides a Secret in covers", words));
  EXPECT_TRUE(std::regex_search("model->embed(x)", words));
  EXPECT_FALSE(std::regex_search("stegolab recovered, covering the range", words));
  EXPECT_TRUE(std::regex_search("{\"rec_psnr\", 2}", std::regex(R"(\b(hide|rec)_[a-z])")));
}

}  // namespace
