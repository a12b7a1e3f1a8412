#include "store/schema_v2_metric_facts.hpp"

#include <regex>

namespace stegolab {

std::optional<MetricDeclaration> schema_v2_metric_facts(const std::string& metric) {
  // Version 2's image metrics: <side>_<measure>[_y][_float] and ber[_float].
  static const std::regex image_metric("^(ber|[a-z]+_(psnr|psnr_y|ssim|mae|rmse))(_float)?$");
  std::smatch match;
  if (!std::regex_match(metric, match, image_metric)) return std::nullopt;
  const std::string base = match[1].str();
  const bool float_path = match[3].matched;
  MetricDeclaration facts;
  facts.name = metric;
  facts.colour_space = base.size() > 2 && base.compare(base.size() - 2, 2, "_y") == 0 ? "Y" : "RGB";
  facts.quantised = base == "ber" || !float_path;
  facts.range_min = 0.0;
  const std::string measure = match[2].str();
  if (measure.rfind("psnr", 0) == 0) {
    facts.range_max = 100.0;
  } else if (measure == "ssim") {
    facts.range_min = -1.0;
    facts.range_max = 1.0;
  } else if (base == "ber") {
    facts.range_max = 1.0;
  } else {
    facts.range_max = 255.0;
  }
  return facts;
}

}  // namespace stegolab
