// The typed facts (range, colour space, quantised) the version-2 schema
// added to metric_conventions, as version 2 defined them. The v1 -> v2
// migration fills old rows from this frozen copy, never from today's
// declarations, so migrating an old file gives the same result whatever the
// program's tasks declare now.
#pragma once

#include <optional>
#include <string>

#include "stegolab/metric_declaration.hpp"

namespace stegolab {

// The v2 facts of a metric stored in a v1 database, or nullopt for one v2
// gave none (training metrics, the learning rate, ...).
std::optional<MetricDeclaration> schema_v2_metric_facts(const std::string& metric);

}  // namespace stegolab
