// The data behind `stegolab plot`: one series per group value, each point the
// mean over the repeats (NaN repeats left out).
#pragma once

#include <string>
#include <vector>

#include "report/line_chart.hpp"
#include "store/result_store.hpp"

namespace stegolab {

// How trials are grouped into lines: "" groups by every sweep path whose
// value differs between the trials (one line per trial group, repeats
// averaged), "none" puts all in one line, anything else is one sweep path.
// `metric` of `split` against the epoch, over all trials of the experiment
// (running ones too: a plot is useful during a sweep).
std::vector<ChartSeries> metric_by_epoch(const ResultStore& store,
                                         const ExperimentRecord& experiment,
                                         const std::string& metric, Split split,
                                         const std::string& group);

// A throughput field (train_images_per_s, ...) or final metric of the done
// trials against a numeric sweep path x (e.g. train.batch_size).
std::vector<ChartSeries> metric_by_sweep_value(const ResultStore& store,
                                               const ExperimentRecord& experiment,
                                               const std::string& x, const std::string& y,
                                               const std::string& group);

}  // namespace stegolab
