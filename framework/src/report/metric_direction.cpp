#include "report/metric_direction.hpp"

namespace stegolab {

std::string metric_direction(const std::string& metric,
                             const std::vector<MetricConvention>& conventions) {
  if (const auto declared = find_metric_convention(conventions, metric)) return declared->better;
  if (const auto trainer = find_metric_convention(training_conventions(), metric)) {
    return trainer->better;
  }
  if (const auto field = find_metric_convention(throughput_conventions(), metric)) {
    return field->better;
  }
  return "";
}

}  // namespace stegolab
