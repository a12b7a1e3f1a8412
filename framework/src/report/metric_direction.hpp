// Which way is better for a metric: from the declarations stored with the
// results (the task's metrics), then the trainer's own conventions
// (training metrics and throughput fields). Names are never guessed.
#pragma once

#include <string>
#include <vector>

#include "metrics/metric_convention.hpp"

namespace stegolab {

// "higher", "lower" or "" (undeclared or neither: nothing is marked best).
std::string metric_direction(const std::string& metric,
                             const std::vector<MetricConvention>& conventions);

}  // namespace stegolab
