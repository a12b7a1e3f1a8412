#include "metrics/metric_convention.hpp"

#include <algorithm>

namespace stegolab {

namespace {

std::vector<MetricConvention> build_training_conventions() {
  std::vector<MetricConvention> c;
  c.push_back({"loss",
               "Training loss: mean over the epoch's applied optimiser steps of the "
               "strategy's step loss (mean over micro-batches).",
               "", "lower"});
  c.push_back({"loss/<term>", "One weighted loss term, averaged like loss.", "", "lower"});
  c.push_back({"lr", "Learning rate of the epoch's last optimiser step.", "", ""});
  c.push_back({"images_per_s",
               "Images per second. Split train: training images over the epoch's "
               "training-loop wall time (steps and data waits). Splits val and "
               "test: evaluated samples over the evaluation's wall time (the "
               "task's model calls and metrics).",
               "images/s", "higher"});
  c.push_back({"step_time_ms",
               "Mean wall time of the epoch's optimiser steps, data waits "
               "excluded.",
               "ms", "lower"});
  c.push_back({"data_wait_ms", "Mean time per optimiser step spent waiting for the next batch.",
               "ms", "lower"});
  c.push_back({"data_images_per_s",
               "Images the data source produced per second of loading in the epoch "
               "(decoding, cropping, conversion; on the loading thread, overlapping the steps).",
               "images/s", "higher"});
  c.push_back({"nonfinite_steps",
               "Optimiser steps skipped in the epoch because the loss or "
               "gradients were inf/NaN (fp16 loss-scale overflows excluded).",
               "steps", "lower"});
  c.push_back({"exploded_steps",
               "Optimiser steps skipped in the epoch because the finite loss "
               "exceeded train.explode_factor x the median of the recent losses.",
               "steps", "lower"});
  c.push_back({"overflow_steps",
               "fp16: optimiser steps skipped in the epoch because the scaled "
               "gradients overflowed (the loss scale was halved).",
               "steps", "lower"});
  return c;
}

std::vector<MetricConvention> build_throughput_conventions() {
  std::vector<MetricConvention> c;
  c.push_back({"train_images_per_s", "Training images per second over the whole trial.", "images/s",
               "higher"});
  c.push_back({"eval_images_per_s", "Evaluated images per second over the whole trial.", "images/s",
               "higher"});
  c.push_back({"peak_memory_mb",
               "Peak memory of the trial: the CUDA caching allocator's peak on a GPU, the peak "
               "resident set on the CPU.",
               "MiB", "lower"});
  c.push_back({"step_time_ms", "Mean optimiser step over the whole trial, data waits excluded.",
               "ms", "lower"});
  c.push_back({"data_wait_ms", "Mean wait for data per optimiser step over the whole trial.", "ms",
               "lower"});
  return c;
}

}  // namespace

const std::vector<MetricConvention>& throughput_conventions() {
  static const std::vector<MetricConvention> conventions = build_throughput_conventions();
  return conventions;
}

const std::vector<MetricConvention>& training_conventions() {
  static const std::vector<MetricConvention> conventions = build_training_conventions();
  return conventions;
}

std::vector<MetricConvention> experiment_conventions(
    const std::vector<MetricDeclaration>& task_metrics) {
  std::vector<MetricConvention> all = task_metrics;
  for (const MetricConvention& convention : training_conventions()) {
    bool declared = false;
    for (const MetricDeclaration& metric : task_metrics)
      declared = declared || metric.name == convention.name;
    if (!declared) all.push_back(convention);
  }
  return all;
}

std::vector<MetricDeclaration> summary_metrics(const std::vector<MetricDeclaration>& metrics) {
  std::vector<MetricDeclaration> shown;
  for (const MetricDeclaration& metric : metrics) {
    if (metric.summary > 0) shown.push_back(metric);
  }
  std::stable_sort(shown.begin(), shown.end(),
                   [](const auto& a, const auto& b) { return a.summary < b.summary; });
  return shown;
}

std::optional<MetricConvention> find_metric_convention(
    const std::vector<MetricConvention>& conventions, const std::string& metric) {
  const auto at = metric.find('@');
  const std::string key = metric.rfind("loss/", 0) == 0 ? "loss/<term>" : metric;
  // "<name>@<label>" matches a declaration "<name>@<placeholder>", whatever
  // the task calls the condition (an attack, an anchor codec).
  const std::string conditioned = at != std::string::npos ? metric.substr(0, at + 1) + "<" : "";
  for (const auto& convention : conventions) {
    if (convention.name == key || convention.name == metric) return convention;
    if (!conditioned.empty() && convention.name.rfind(conditioned, 0) == 0 &&
        convention.name.back() == '>') {
      return convention;
    }
  }
  return std::nullopt;
}

}  // namespace stegolab
