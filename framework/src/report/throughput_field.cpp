#include "report/throughput_field.hpp"

#include <algorithm>

namespace stegolab {

const std::vector<std::string>& throughput_field_names() {
  static const std::vector<std::string> names = {"train_images_per_s", "eval_images_per_s",
                                                 "step_time_ms",       "data_wait_ms",
                                                 "peak_memory_mb",     "effective_batch"};
  return names;
}

std::string canonical_throughput_field(const std::string& name) {
  return name == "images_per_s" ? "train_images_per_s" : name;
}

bool is_throughput_field(const std::string& name) {
  const auto& names = throughput_field_names();
  return std::find(names.begin(), names.end(), canonical_throughput_field(name)) != names.end();
}

std::optional<double> throughput_value(const Throughput& tp, const std::string& name) {
  const std::string field = canonical_throughput_field(name);
  if (field == "train_images_per_s") return tp.train_images_per_s;
  if (field == "eval_images_per_s") return tp.eval_images_per_s;
  if (field == "step_time_ms") return tp.step_time_ms;
  if (field == "data_wait_ms") return tp.data_wait_ms;
  if (field == "peak_memory_mb") return tp.peak_memory_mb;
  if (field == "effective_batch") return static_cast<double>(tp.effective_batch);
  if (tp.extra.is_object() && tp.extra.contains(name) && tp.extra.at(name).is_number()) {
    return tp.extra.at(name).get<double>();
  }
  return std::nullopt;
}

}  // namespace stegolab
