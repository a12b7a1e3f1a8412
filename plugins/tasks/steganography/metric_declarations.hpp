// The steganography task's metric declarations (Task::metrics()).
#pragma once

#include <vector>

#include "stegolab/task.hpp"

namespace stegolab::steganography {

const std::vector<MetricDeclaration>& metric_declarations();

}  // namespace stegolab::steganography
