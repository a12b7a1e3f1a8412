// The compression task's metrics, declared once (PluginInfo::metrics).
#pragma once

#include <vector>

#include "stegolab/metric_declaration.hpp"

namespace stegolab::compression {

std::vector<MetricDeclaration> compression_metric_declarations();

}  // namespace stegolab::compression
