#include "training_curriculum.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "stegolab/errors.hpp"

namespace stegolab::steganography {

double TrainingCurriculum::at(double fraction) const {
  const double t = std::clamp(fraction, 0.0, 1.0);
  return start + (end - start) * t;
}

namespace {

bool is_probability(const nlohmann::json& value) {
  return value.is_number() && value.get<double>() >= 0.0 && value.get<double>() <= 1.0;
}

}  // namespace

TrainingCurriculum read_training_curriculum(const Params& params, const std::string& key) {
  TrainingCurriculum curriculum;
  if (!params.has(key)) return curriculum;
  const nlohmann::json& value = params.get_json(key);
  if (is_probability(value)) {
    curriculum.start = curriculum.end = value.get<double>();
    return curriculum;
  }
  const bool ramp = value.is_object() && value.size() == 2 && value.contains("start") &&
                    value.contains("end") && is_probability(value["start"]) &&
                    is_probability(value["end"]);
  if (!ramp) {
    throw ParamError(params.owner() + ": parameter '" + key +
                     "' must be a probability in [0, 1] or {\"start\": P, \"end\": P} (each in "
                     "[0, 1]), got " +
                     value.dump());
  }
  curriculum.start = value["start"].get<double>();
  curriculum.end = value["end"].get<double>();
  return curriculum;
}

}  // namespace stegolab::steganography
