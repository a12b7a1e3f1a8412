// What a trial produces, in the records the result store keeps.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "store/result_records.hpp"  // MetricRow, Throughput, TrialStatus, GalleryImage

namespace stegolab {

struct TrialOutcome {
  TrialStatus status = TrialStatus::done;  // done, failed or interrupted
  std::string error;                       // why, when not done
  int64_t epochs_completed = 0;
  std::vector<MetricRow> final_metrics;  // test split (and best val), recorded at the end
  Throughput throughput;
  std::vector<GalleryImage> gallery;  // the pictures written at the end (eval.gallery)
  // Failed because the checkpoint to resume from does not fit the built
  // components (an optimiser state of another model layout, a damaged
  // file); the trial can run again from the start.
  bool checkpoint_unusable = false;
};

}  // namespace stegolab
