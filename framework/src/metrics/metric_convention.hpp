// What each recorded metric means, for the result store (written into the
// database next to the results), the reports and the choice of the best
// epoch. A task declares its own metrics (PluginInfo::metrics); the trainer
// adds its training metrics and the throughput fields, the same for every task.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "stegolab/plugin.hpp"

namespace stegolab {

using MetricConvention = MetricDeclaration;

// The trainer's per-epoch metrics (loss, loss/<term>, lr, images_per_s,
// step times, skipped steps): stored with every experiment's results.
const std::vector<MetricConvention>& training_conventions();

// The trial's throughput fields as reports name them (train_images_per_s,
// peak_memory_mb, ...): their direction for the reports' bold best.
const std::vector<MetricConvention>& throughput_conventions();

// An experiment's conventions: its task's declarations, then the trainer's.
std::vector<MetricConvention> experiment_conventions(
    const std::vector<MetricDeclaration>& task_metrics);

// The metrics a task marks for summaries (MetricDeclaration::summary > 0), in that order.
std::vector<MetricDeclaration> summary_metrics(const std::vector<MetricDeclaration>& metrics);

// The convention of `metric` in `conventions` (loss terms match "loss/<term>",
// a measure under a condition, "<name>@<label>", matches a declaration
// "<name>@<placeholder>": "<name>@<attack>", "<name>@<anchor>").
std::optional<MetricConvention> find_metric_convention(
    const std::vector<MetricConvention>& conventions, const std::string& metric);

}  // namespace stegolab
