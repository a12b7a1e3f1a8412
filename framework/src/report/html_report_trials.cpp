// The HTML report's per-trial detail: what each trial ran with and what happened.
#include <cmath>
#include <sstream>

#include "report/html_report.hpp"
#include "report/markup_escape.hpp"
#include "report/sweep_value.hpp"
#include "report/table_cells.hpp"
#include "report/throughput_field.hpp"

namespace stegolab {

namespace {

std::string throughput_facts(const ResultStore& store, const TrialRecord& trial) {
  const std::optional<Throughput> measured = store.throughput(trial.id);
  if (!measured) return "";
  std::string facts;
  for (const std::string& field : throughput_field_names()) {
    const std::optional<double> value = throughput_value(*measured, field);
    if (!value || std::isnan(*value)) continue;
    facts += (facts.empty() ? "" : " · ") + field + " " + fixed_decimals(*value, 2);
  }
  return facts;
}

std::string events_table(const std::vector<EventRecord>& events) {
  if (events.empty()) return "<p class=\"note\">no events</p>\n";
  std::ostringstream out;
  out << "<table class=\"facts\"><thead><tr><th>epoch</th><th>event</th><th>message</th>"
         "<th>at</th></tr></thead><tbody>\n";
  for (const EventRecord& event : events) {
    out << "<tr><td>" << event.epoch + 1 << "</td><td>" << markup_escape(event.kind) << "</td><td>"
        << markup_escape(event.message) << "</td><td>" << markup_escape(event.at) << "</td></tr>\n";
  }
  out << "</tbody></table>\n";
  return out.str();
}

std::string trial_detail(const ResultStore& store, const TrialRecord& trial,
                         const std::vector<std::string>& varying) {
  std::ostringstream out;
  out << "<div class=\"trial\" id=\"trial-" << trial.id << "\"><h3>trial " << trial.id << ": "
      << markup_escape(trial_label(trial, varying)) << "</h3>\n<table class=\"facts\">\n"
      << "<tr><th>key</th><td>" << markup_escape(trial.key) << "</td></tr>\n"
      << "<tr><th>status</th><td>" << status_name(trial.status)
      << (trial.error.empty() ? "" : ": " + markup_escape(trial.error)) << "</td></tr>\n"
      << "<tr><th>epochs</th><td>" << trial.last_epoch + 1 << "</td></tr>\n"
      << "<tr><th>seed, repeat</th><td>" << trial.seed << ", " << trial.repeat << "</td></tr>\n"
      << "<tr><th>started, ended</th><td>" << markup_escape(trial.started_at) << " – "
      << markup_escape(trial.ended_at) << "</td></tr>\n";
  const std::string facts = throughput_facts(store, trial);
  if (!facts.empty())
    out << "<tr><th>throughput</th><td>" << markup_escape(facts) << "</td></tr>\n";
  out << "</table>\n<h4>events</h4>\n"
      << events_table(store.events(trial.id)) << "<h4>configuration</h4>\n<pre>"
      << markup_escape(trial.config.dump(2)) << "</pre></div>\n";
  return out.str();
}

}  // namespace

std::string html_trials_section(const ResultStore& store, const ExperimentRecord& experiment) {
  const std::vector<TrialRecord> trials = store.trials(experiment.id);
  if (trials.empty()) return "";
  const std::vector<std::string> varying = varying_sweep_paths(trials);
  std::ostringstream out;
  out << "<section id=\"trials\"><h2>Trials</h2>\n";
  for (const TrialRecord& trial : trials) out << trial_detail(store, trial, varying);
  out << "</section>\n";
  return out.str();
}

}  // namespace stegolab
