#include "report/metric_direction.hpp"

#include <cctype>
#include <set>

namespace stegolab {

std::string metric_direction(const std::string& metric,
                             const std::vector<MetricConvention>& conventions) {
  for (const auto& convention : conventions) {
    if (convention.metric == metric && !convention.better.empty()) return convention.better;
  }
  // Whole words of the name ("loss/rec_mse" -> loss, rec, mse), so that "ber"
  // does not match inside "number".
  std::set<std::string> words;
  std::string word;
  for (const char c : metric + "_") {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!word.empty()) {
      words.insert(word);
      word.clear();
    }
  }
  auto has = [&](const char* name) { return words.count(name) != 0; };
  if (has("psnr") || has("ssim") || metric.find("images_per_s") != std::string::npos) {
    return "higher";
  }
  for (const char* name : {"ber", "mae", "rmse", "mse", "loss", "time", "memory", "ms", "mb"}) {
    if (has(name)) return "lower";
  }
  return "";
}

}  // namespace stegolab
