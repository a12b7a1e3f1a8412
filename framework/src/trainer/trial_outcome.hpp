// What a trial produces, in the shape the result store records.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace stegolab {

struct MetricRow {
  int64_t epoch = 0;   // 0-based; the final test rows carry the last epoch
  std::string split;   // "train" | "val" | "test"
  std::string metric;  // a metric the task declares, "loss", "loss/<term>", ...
  double value = NAN;  // NaN is a legitimate value (a diverged loss) and is stored as such
};

struct Throughput {
  double train_images_per_s = NAN;
  double eval_images_per_s = NAN;
  double step_time_ms = NAN;    // mean optimiser step, including accumulation
  double data_wait_ms = NAN;    // mean time per step the trainer waited for data
  double peak_memory_mb = NAN;  // CUDA allocator peak on GPU, peak RSS on CPU
  int64_t effective_batch = 0;  // batch_size x accumulation
  nlohmann::json extra = nlohmann::json::object();  // e.g. flops_per_image, gpu_utilisation
};

struct TrialOutcome {
  std::string status = "done";  // "done" | "failed" | "interrupted"
  std::string error;            // why, when not done
  int64_t epochs_completed = 0;
  std::vector<MetricRow> final_metrics;  // test split (and best val), recorded at the end
  Throughput throughput;
};

}  // namespace stegolab
