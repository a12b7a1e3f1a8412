#include "spec/declared_report_check.hpp"

#include <utility>
#include <vector>

#include "report/report_spec.hpp"
#include "spec/experiment_schema.hpp"
#include "spec/spec_error.hpp"
#include "stegolab/params.hpp"
#include "sweep/json_path.hpp"

namespace stegolab {

using nlohmann::json;

void check_reports(const ExperimentSpec& spec, const std::string& file) {
  for (size_t i = 0; i < spec.reports.size(); ++i) {
    const std::string label = indexed_json_path("reports", i);
    ReportSpec report;
    try {
      report = ReportSpec::from_json(spec.reports[i], file, label);
    } catch (const ReportError& error) {
      throw SpecError(error.what());
    }
    if (spec.trials.empty()) continue;
    const std::pair<const char*, const std::vector<std::string>*> lists[] = {
        {"rows", &report.rows}, {"cols", &report.cols}};
    for (const auto& [key, paths] : lists) {
      for (size_t j = 0; j < paths->size(); ++j) {
        const std::string& path = (*paths)[j];
        bool known = false;
        for (const auto& trial : spec.trials) {
          known = known || trial.sweep_point.contains(path) ||
                  find_json_path(trial.resolved, path) != nullptr;
        }
        if (known) continue;
        std::vector<std::string> candidates = ExperimentSchema::get().sweepable_paths();
        for (const auto& item : spec.trials.front().sweep_point.items()) {
          candidates.push_back(item.key());
        }
        for (const auto& c : ExperimentSchema::components()) {
          const json* params =
              find_json_path(spec.trials.front().resolved, std::string(c.section) + ".params");
          if (!params || !params->is_object()) continue;
          for (const auto& item : params->items()) {
            candidates.push_back(std::string(c.section) + ".params." + item.key());
          }
        }
        const std::string suggestion = closest_name(path, candidates);
        fail_spec(file, indexed_json_path(label + "." + key, j),
                  "'" + path + "' is neither a sweep path nor a setting of the experiment" +
                      (suggestion.empty() ? "" : " (did you mean '" + suggestion + "'?)"));
      }
    }
  }
}

}  // namespace stegolab
