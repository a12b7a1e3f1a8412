#include "report/rate_quality_sections.hpp"

#include <algorithm>

#include "report/rate_quality_report.hpp"
#include "report/table_renderer.hpp"

namespace stegolab {

std::vector<RateQualityPair> recorded_rate_quality_pairs(const ResultStore& store,
                                                         const ExperimentRecord& experiment) {
  std::vector<RateQualityPair> pairs;
  for (const TrialRecord& trial : store.trials(experiment.id)) {
    if (trial.status != TrialStatus::done || !trial.plugins.is_object()) continue;
    for (const auto& [section, plugin] : trial.plugins.items()) {
      if (!plugin.is_object() || !plugin.contains("rate_quality")) continue;
      const nlohmann::json& listed = plugin.at("rate_quality");
      if (!listed.is_array()) continue;
      for (const nlohmann::json& entry : listed) {
        if (!entry.is_object()) continue;
        RateQualityPair pair{entry.value("rate", ""), entry.value("quality", "")};
        if (pair.rate.empty() || pair.quality.empty()) continue;
        const bool known = std::any_of(pairs.begin(), pairs.end(), [&](const RateQualityPair& p) {
          return p.rate == pair.rate && p.quality == pair.quality;
        });
        if (!known) pairs.push_back(pair);
      }
    }
  }
  return pairs;
}

std::vector<ReportSpec> rate_quality_specs(const ResultStore& store,
                                           const ExperimentRecord& experiment,
                                           const ReportSpec& table, bool task_pairs) {
  if (!table.rate.empty() && !table.quality.empty()) return {table};
  if (!task_pairs) return {};
  std::vector<ReportSpec> specs;
  for (const RateQualityPair& pair : recorded_rate_quality_pairs(store, experiment)) {
    ReportSpec spec = table;
    spec.rate = pair.rate;
    spec.quality = pair.quality;
    spec.caption = "";
    spec.label = "";
    specs.push_back(spec);
  }
  return specs;
}

std::string render_rate_quality(const ResultStore& store, const ExperimentRecord& experiment,
                                const ReportSpec& spec, std::vector<std::string>& warnings) {
  const RateQualityReport curves = RateQualityReport::build(store, experiment, spec);
  std::string text = TableRenderer::render(curves.points);
  if (!curves.bd_rate.row_keys.empty()) text += "\n" + TableRenderer::render(curves.bd_rate);
  for (const auto& warning : curves.warnings) warnings.push_back("BD-rate of " + warning);
  return text;
}

std::string render_rate_quality_after(const ResultStore& store, const ExperimentRecord& experiment,
                                      const ReportSpec& table, bool task_pairs,
                                      std::vector<std::string>& warnings) {
  const bool named = !table.rate.empty() && !table.quality.empty();
  std::string text;
  for (const ReportSpec& spec : rate_quality_specs(store, experiment, table, task_pairs)) {
    try {
      text += "\n" + render_rate_quality(store, experiment, spec, warnings);
    } catch (const ReportError& error) {
      if (named) throw;
      warnings.push_back("curves of " + spec.rate + " and " + spec.quality + ": " + error.what());
    }
  }
  return text;
}

}  // namespace stegolab
